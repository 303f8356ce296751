// The first index build of a big workspace, in real VS Code: a copy of the Go standard library's .go files
// (thousands of files, seconds to index) opens a name-only profile at startup (podProfiler.openOnStartup).
// The build's progress notification opens (builds shorter than its delay show none) and counts the files as
// they are parsed. Its Cancel stops the build at once, and the profile is shown without name resolution;
// after a reload, the build runs to its end, the notification closes and the profile is shown. Then Profile Pod
// against the fake cluster, with the index and its cache dropped: the build runs while the pod records, its
// Cancel stops it, and the recorded profile is shown without name resolution. Last, a settings change during
// such a build stops it (its index is stale) and the index of now is built once, in its place.
// Screenshots: .test-output/screenshots/index-progress.png, index-progress-while-recording.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startWorkbenchSession, type WorkbenchSession } from '../support/workbenchSession';
import { extensionLog } from '../support/extensionLog';
import { repoRoot } from '../support/repoRoot';
import { openWorkbench, pickRow, runCommand, screenshot } from '../support/workbench';
import { startFakeClusterProcess, type FakeClusterProcess } from '../support/fakeClusterProcess';

const TITLE = 'Pod Profiler: indexing workspace definitions';
let settings: Record<string, unknown> = {};

let dir: string;
let cluster: FakeClusterProcess;
let session: WorkbenchSession;
let page: Page;

before(async () => {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  dir = mkdtempSync(join(tmpdir(), 'pod-profiler-big-'));
  // Folders and Go sources only: what the index reads, without the megabytes of testdata.
  cpSync(join(goroot, 'src'), join(dir, 'src'), { recursive: true, dereference: true, filter: (p) => (statSync(p).isDirectory() ? !p.endsWith('/testdata') : p.endsWith('.go')) });
  mkdirSync(join(dir, 'profiles'));
  cpSync(join(repoRoot(), 'test', 'fixtures', 'profiles', 'go.folded'), join(dir, 'profiles', 'go.folded'));
  // A recording of N seconds takes N * 200 ms of the fake's time: long enough to index the tree meanwhile.
  cluster = await startFakeClusterProcess({ msPerSecond: 200 });
  settings = { 'podProfiler.openOnStartup': 'profiles/go.folded', 'podProfiler.kubeconfigPath': cluster.state.kubeconfigPath, 'podProfiler.agent': 'goPprof' };
  mkdirSync(join(dir, '.vscode'));
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings));
  session = await startWorkbenchSession('index-progress', dir);
  page = session.page;
});

after(async () => {
  await session?.stop();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Waits for the indexing notification and for its file count to move; what it showed meanwhile. */
async function countMoves(toast: Locator): Promise<string[]> {
  await toast.waitFor({ timeout: 90_000 });
  // The notification opened late (after its delay) still follows the build: the count changes while shown.
  const counts: string[] = [];
  const done = new Set<number>();
  for (const until = Date.now() + 60_000; Date.now() < until && (await toast.count()) > 0; ) {
    const text = await toast.locator('.notification-list-item-message').innerText().catch(() => '');
    const m = /(\d+) of (\d+) files/.exec(text);
    if (m) {
      counts.push(`${m[1]}/${m[2]}`);
      done.add(Number(m[1]));
      if (done.size >= 2 && Number(m[1]) > 0 && Number(m[2]) > 1000) return counts;
    }
    await page.waitForTimeout(50);
  }
  assert.fail(`the notification did not follow the parsed-file count of a big build; seen: ${JSON.stringify(counts)}`);
}

const BUILT = /definition index: (\d+) files/;

test('Cancel on the first build\'s notification stops the build at once; the profile is shown without it', async () => {
  await openWorkbench(page, session.cs.folderUrl());
  const toast = page.locator('.notification-toast', { hasText: TITLE });
  await countMoves(toast);
  // The extension host takes in the window's messages while it builds (parsing is left to worker threads):
  // before, the click reached the extension only after the build had ended, behind megabytes of findFiles.
  await toast.locator('a.monaco-button', { hasText: 'Cancel' }).click();
  // The extension logs the cancel, then that the index is not built, then says so in a warning.
  const log = await logMatching(/definition index not built/);
  assert.match(log, /build cancelled from its notification/, `the cancel never reached the extension:\n${log}`);
  assert.doesNotMatch(log, BUILT, `the build ran to its end:\n${log}`);
  await page.locator('.notification-toast', { hasText: 'Workspace indexing stopped' }).waitFor({ timeout: 10_000 });
  await page.locator('.statusbar-item', { hasText: 'go.folded' }).first().waitFor({ timeout: 30_000 });
});

/**
 * The extension's log once its text from character `from` on matches `re` (lines are written a moment after
 * they are logged), or as it is after `ms`.
 */
async function logMatching(re: RegExp, from = 0, ms = 30_000): Promise<string> {
  let log = extensionLog(session.cs.scratch);
  for (const until = Date.now() + ms; Date.now() < until && !re.test(log.slice(from)); ) {
    await page.waitForTimeout(100);
    log = extensionLog(session.cs.scratch);
  }
  return log;
}

test('after a reload, the build shows a progress notification that counts files and closes when done', async () => {
  await page.reload();
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
  const toast = page.locator('.notification-toast', { hasText: TITLE });
  await countMoves(toast);
  await screenshot(page, 'index-progress');
  await toast.waitFor({ state: 'detached', timeout: 120_000 });
  const built = [...(await logMatching(BUILT)).matchAll(new RegExp(BUILT.source, 'g'))];
  assert.equal(built.length, 1, 'one build, the one after the reload');
  assert.ok(Number(built[0][1]) > 1000, `the log should report the build of thousands of files, not ${built[0][1]}`);
  // The profile is loaded: the status bar names it.
  await page.locator('.statusbar-item', { hasText: 'go.folded' }).first().waitFor({ timeout: 30_000 });
});

/** Profile Pod, through its pickers, on the fake cluster's catalog pod for 60 s (12 s of the fake's time). */
async function profileCatalogPod(): Promise<void> {
  await runCommand(page, 'Pod Profiler: Profile Pod');
  await pickRow(page, cluster.state.context);
  await pickRow(page, /^shop/);
  await pickRow(page, 'catalog-7d9f8-abcde');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /recording length/i }).waitFor({ timeout: 20_000 });
  await pickRow(page, /^60 s/);
}

/** The definition index cache the extension saved in its workspace storage, if there is one now. */
function indexCacheFile(): string | undefined {
  const storage = join(session.cs.scratch, 'user-data', 'User', 'workspaceStorage');
  const found = existsSync(storage) ? readdirSync(storage, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('definition-index.json')) : undefined;
  return found && join(storage, found);
}

/** The definition index cache the extension saved in its workspace storage, once it is there. */
async function savedIndexCache(): Promise<string> {
  for (const until = Date.now() + 30_000; Date.now() < until; await page.waitForTimeout(200)) {
    const found = indexCacheFile();
    if (found) return found;
  }
  assert.fail('no definition-index.json in the workspace storage');
}

test('Profile Pod indexes while the pod records; Cancel stops that build and the recorded profile is shown without it', async () => {
  // No profile shown, so nothing rebuilds the index when the setting below drops it; and no cache to read
  // it back from in a moment: the next build is a full one, started by Profile Pod.
  await runCommand(page, 'Pod Profiler: Clear Profile Overlays');
  rmSync(await savedIndexCache());
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ ...settings, 'files.exclude': { '**/*.never-written': true } }));
  const reset = /workspace sources: setting files\.exclude changed/;
  assert.match(await logMatching(reset), reset, 'the settings change did not reach the extension');

  await profileCatalogPod();

  const toast = page.locator('.notification-toast', { hasText: TITLE });
  await countMoves(toast);
  const recording = page.locator('.notification-toast', { hasText: 'Profiling shop/catalog-7d9f8-abcde' });
  assert.equal(await recording.count(), 1, 'the index build should show while the pod is still recording');
  await screenshot(page, 'index-progress-while-recording');
  await toast.locator('a.monaco-button', { hasText: 'Cancel' }).click();

  // The profile arrives after the cancel, is told the index is missing, and is shown.
  const log = await logMatching(new RegExp(`${reset.source}[\\s\\S]*definition index not built`));
  const since = log.slice(log.search(reset));
  const cancelled = since.search(/build cancelled from its notification/);
  const recorded = since.search(/pprof from shop\/catalog-7d9f8-abcde:\d+: .*\(60 s asked\)/);
  assert.ok(cancelled > 0 && recorded > cancelled, `the build should be cancelled during the recording:\n${since}`);
  assert.doesNotMatch(since, BUILT, `the build ran to its end:\n${since}`);
  await page.locator('.notification-toast', { hasText: 'Workspace indexing stopped' }).waitFor({ timeout: 10_000 });
  await page.locator('.statusbar-item', { hasText: 'catalog-7d9f8-abcde' }).first().waitFor({ timeout: 30_000 });
});

test('a settings change during the build ahead of Profile Pod stops that build; the index of now is built once and the profile resolved', async () => {
  // As above: nothing shown, so the index is built by Profile Pod alone; and in full (seconds), with no cache
  // and no index left from the cancelled build (a settings change drops it).
  await runCommand(page, 'Pod Profiler: Clear Profile Overlays');
  const cache = indexCacheFile();
  if (cache) rmSync(cache);
  const dropped = extensionLog(session.cs.scratch).length;
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ ...settings, 'files.exclude': { '**/*.never-written-either': true } }));
  const reset = /workspace sources: setting files\.exclude changed/;
  assert.match((await logMatching(reset, dropped)).slice(dropped), reset, 'the settings change did not reach the extension');

  await profileCatalogPod();

  // As soon as the build shows (half a second in), well before its end.
  await page.locator('.notification-toast', { hasText: TITLE }).waitFor({ timeout: 90_000 });
  const mark = extensionLog(session.cs.scratch).length;
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ ...settings, 'files.exclude': { '**/*.never-written-either': true, '**/*.nor-this': true } }));
  // Until the profile is shown (presentProfile logs where it placed its functions).
  const since = (await logMatching(/pprof from shop\/catalog-7d9f8-abcde[\s\S]*functions placed in/, mark, 120_000)).slice(mark);
  const stopped = since.search(/definition index: the build under way is stopped, its index is stale/);
  assert.ok(since.search(reset) >= 0 && stopped > 0, `the stale build was not stopped:\n${since}`);
  // The stale build stopped short, and the index of now was built once (not after the stale one ran to its end).
  const built = [...since.matchAll(new RegExp(BUILT.source, 'g'))];
  assert.equal(built.length, 1, `one build after the settings change:\n${since}`);
  assert.ok(stopped < since.search(BUILT), `the stale build should stop before the new one ends:\n${since}`);
  assert.doesNotMatch(since, /definition index not built/, `the stop was taken for the user's Cancel:\n${since}`);
});
