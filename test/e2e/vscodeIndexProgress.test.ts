// The first index build of a big workspace, in real VS Code: a copy of the Go standard library's .go files
// (thousands of files, seconds to index) opens a name-only profile at startup (podProfiler.openOnStartup).
// The build's progress notification opens (builds shorter than its delay show none), counts the files as
// they are parsed, and closes when the build is done; the profile is then shown.
// Screenshot: .test-output/screenshots/index-progress.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWorkbenchSession, type WorkbenchSession } from '../support/workbenchSession';
import { extensionLog } from '../support/extensionLog';
import { repoRoot } from '../support/repoRoot';
import { openWorkbench, screenshot } from '../support/workbench';

const TITLE = 'Pod Profiler: indexing workspace definitions';

let dir: string;
let session: WorkbenchSession;
let page: Page;

before(async () => {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  dir = mkdtempSync(join(tmpdir(), 'pod-profiler-big-'));
  // Folders and Go sources only: what the index reads, without the megabytes of testdata.
  cpSync(join(goroot, 'src'), join(dir, 'src'), { recursive: true, dereference: true, filter: (p) => (statSync(p).isDirectory() ? !p.endsWith('/testdata') : p.endsWith('.go')) });
  mkdirSync(join(dir, 'profiles'));
  cpSync(join(repoRoot(), 'test', 'fixtures', 'profiles', 'go.folded'), join(dir, 'profiles', 'go.folded'));
  mkdirSync(join(dir, '.vscode'));
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'podProfiler.openOnStartup': 'profiles/go.folded' }));
  session = await startWorkbenchSession('index-progress', dir);
  page = session.page;
});

after(async () => {
  await session?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the first build of a big workspace shows a progress notification that counts files and closes when done', async () => {
  await openWorkbench(page, session.cs.folderUrl());
  const toast = page.locator('.notification-toast', { hasText: TITLE });
  await toast.waitFor({ timeout: 90_000 });
  // The notification opened late (after its delay) still follows the build: the count changes while shown.
  const counts: string[] = [];
  const done = new Set<number>();
  let moved = false;
  for (const until = Date.now() + 60_000; Date.now() < until && !moved && (await toast.count()) > 0; ) {
    const text = await toast.locator('.notification-list-item-message').innerText().catch(() => '');
    const m = /(\d+) of (\d+) files/.exec(text);
    if (m) {
      counts.push(`${m[1]}/${m[2]}`);
      done.add(Number(m[1]));
      moved = done.size >= 2 && Number(m[1]) > 0 && Number(m[2]) > 1000;
    }
    if (moved) await screenshot(page, 'index-progress');
    else await page.waitForTimeout(50);
  }
  assert.ok(moved, `the notification did not follow the parsed-file count of a big build; seen: ${JSON.stringify(counts)}`);
  await toast.waitFor({ state: 'detached', timeout: 120_000 });
  const log = extensionLog(session.cs.scratch);
  const built = /definition index: (\d+) files/.exec(log);
  assert.ok(built && Number(built[1]) > 1000, `the log should report the build of thousands of files:\n${log}`);
  // The profile is loaded: the status bar names it.
  await page.locator('.statusbar-item', { hasText: 'go.folded' }).first().waitFor({ timeout: 30_000 });
});
