// Issue 5's compare story in real VS Code, driven like a user: open the recorded profile from before the fix and
// the one after it (demo/profiles) through "Open Profile File..." and VS Code's own file dialog, then "Compare
// With Profile File..." from the status bar, picking the earlier profile from the recent list. The CodeLens on
// parseCatalog must say "▼ N pts vs go-cpu.pb.gz (was X%)" with N and X computed here from both pprof files by
// the independent wire reader; readCatalogFile, gone after the fix, says so in its own lens; the flamegraph panel's title names both profiles and parseCatalog is drawn in
// the shrink colour (webview/palette.ts: hue 215).
// Screenshots: .test-output/screenshots/compare-*.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWorkbenchSession, type WorkbenchSession } from '../support/workbenchSession';
import { prepareGoShopWorkspace, type GoShopWorkspace } from '../support/goShopWorkspace';
import { expectedLenses } from '../support/goCpuExpectations';
import { decodePng, shareOf } from '../support/pngPixels';
import { profileStatusItem, statusBarAction } from '../support/pixieUi';
import { repoRoot } from '../support/repoRoot';
import {
  dismissNotifications,
  flamegraphFrame,
  goToLine,
  notificationTexts,
  openWorkbench,
  pickRow,
  quickOpen,
  quickPickLabels,
  runCommand,
  screenshot,
  waitForCodeLens,
} from '../support/workbench';

const PARSE = 'main.(*productCatalog).parseCatalog';

let ws: GoShopWorkspace;
let afterFix: string;
let session: WorkbenchSession;
let page: Page;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Palette "Open Profile File..." -> VS Code's file dialog (the simple one in a browser) -> type the path -> Enter. */
async function openProfileFromPalette(file: string): Promise<void> {
  await runCommand(page, 'Pod Profiler: Open Profile File');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open a CPU profile' }).waitFor({ timeout: 20_000 });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // The dialog fills in the workspace folder's path once it has read it: typing earlier gets overwritten.
  await page.waitForFunction(() => ((document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value ?? '').endsWith('/'), undefined, { timeout: 10_000 });
  // It may set that value again once it listed the folder: type until the path stays.
  for (let i = 0; i < 10; i++) {
    await input.fill(file);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: file.split('/').pop()! }).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    if ((await input.inputValue()) === file) break;
  }
  assert.equal(await input.inputValue(), file, 'the file dialog kept changing the typed path');
  await input.press('Enter');
  try {
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open a CPU profile' }).waitFor({ state: 'hidden', timeout: 10_000 });
  } catch (e) {
    await screenshot(page, 'compare-failed-file-dialog');
    const value = await input.inputValue().catch(() => '?');
    const message = await page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '');
    throw new Error(`the file dialog did not accept ${file}: input "${value}", message "${message}", rows ${JSON.stringify(await quickPickLabels(page))}`, { cause: e });
  }
}

before(async () => {
  ws = prepareGoShopWorkspace();
  afterFix = join(ws.dir, 'profiles', 'go-cpu-after-fix.pb.gz');
  // The demo's recordings: before (the same bytes as the test fixture) and after the sync.Once fix.
  copyFileSync(join(repoRoot(), 'demo', 'profiles', 'go-cpu.pb.gz'), ws.profile);
  copyFileSync(join(repoRoot(), 'demo', 'profiles', 'go-cpu-after-fix.pb.gz'), afterFix);
  session = await startWorkbenchSession('compare', ws.dir);
  page = session.page;
});

after(async () => {
  await session?.stop();
  ws?.remove();
});

test('Compare the after-fix profile with the one before: CodeLens delta, differential flamegraph titled "vs"', async () => {
  const b = expectedLenses(ws.profile, ws.mainGo);
  const a = expectedLenses(afterFix, ws.mainGo);
  const drop = 100 * (b.parseCatalog.totalSamples / b.allSamples - a.parseCatalog.totalSamples / a.allSamples);
  assert.ok(drop > 50, `the fix should remove most of parseCatalog's share (drop ${drop.toFixed(1)} pts)`);
  assert.ok(a.parseCatalog.totalSamples > 0, 'parseCatalog still runs after the fix (once per request, cheaply)');

  await openWorkbench(page, session.cs.folderUrl());
  await quickOpen(page, 'main.go');

  await openProfileFromPalette(ws.profile);
  await waitForCodeLens(page, new RegExp(escape(`${b.parseCatalog.totalPercent} total · ${b.parseCatalog.selfPercent} self`)), 60_000);
  await dismissNotifications(page);
  await screenshot(page, 'compare-01-before-fix');

  await openProfileFromPalette(afterFix);
  await waitForCodeLens(page, new RegExp(escape(`${a.parseCatalog.totalPercent} total · ${a.parseCatalog.selfPercent} self`)), 60_000);
  await dismissNotifications(page);

  // Status bar -> "Compare With Profile File..." -> the earlier profile from the recent list.
  const item = profileStatusItem(page, 'go-cpu-after-fix.pb.gz');
  await item.waitFor({ timeout: 10_000 });
  await statusBarAction(page, item, 'Compare With Profile File');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Compare go-cpu-after-fix.pb.gz with' }).waitFor({ timeout: 10_000 });
  const recent = await quickPickLabels(page);
  await screenshot(page, 'compare-02-recent-list');
  assert.ok(recent.some((r) => /^go-cpu\.pb\.gz/.test(r)), `the recent list should offer go-cpu.pb.gz: ${JSON.stringify(recent)}`);
  await pickRow(page, /^go-cpu\.pb\.gz/);

  // The differential flamegraph opens by itself; its tab names both profiles.
  const fg = await flamegraphFrame(page);
  const tab = page.locator('.tabs-container .tab', { hasText: ' vs ' }).first();
  await tab.waitFor({ timeout: 15_000 });
  const tabLabel = (await tab.innerText()).trim();
  assert.match(tabLabel, /go-cpu-after-fix\.pb\.gz vs go-cpu\.pb\.gz/);
  await fg.waitForFunction(() => (window as any).__flamegraphTest.state().diff === true, undefined, { timeout: 15_000 });
  const rect = (await fg.evaluate((n) => (window as any).__flamegraphTest.frameRect(n), PARSE)) as { x: number; y: number; w: number; h: number } | undefined;
  assert.ok(rect && rect.w > 4, `parseCatalog is not drawn in the differential view: ${JSON.stringify(rect)}`);
  const box = (await (await fg.frameElement()).boundingBox())!;
  await page.waitForTimeout(300);
  const pixels = decodePng(readFileSync(await screenshot(page, 'compare-03-diff-flamegraph')));
  const region = { x: Math.round(box.x + rect.x + 1), y: Math.round(box.y + rect.y + 1), w: Math.max(1, Math.round(Math.min(rect.w, 200) - 2)), h: Math.max(1, Math.round(rect.h - 2)) };
  assert.ok(shareOf(pixels, (p) => p.s > 15 && p.h >= 195 && p.h <= 235, region) > 0.3, 'parseCatalog shrank: it should be drawn blue (shrink)');

  // Back in main.go the CodeLens carries the delta, as a user confirms the fix.
  await page.locator('.tabs-container .tab', { hasText: 'main.go' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'main.go' }).waitFor({ timeout: 10_000 });
  const want = `${a.parseCatalog.totalPercent} total · ${a.parseCatalog.selfPercent} self`;
  const delta = `▼ ${drop.toFixed(1)} pts vs go-cpu.pb.gz (was ${b.parseCatalog.totalPercent})`;
  let lens: string;
  try {
    lens = await waitForCodeLens(page, new RegExp(escape(delta)), 20_000);
  } finally {
    await dismissNotifications(page);
    await screenshot(page, 'compare-04-codelens-delta');
  }
  assert.ok(lens.includes(want), `"${lens}" should show the after-fix share ${want}`);
  // ServeHTTP still runs (it calls parseCatalog once per request): its own drop. Lenses render near the viewport.
  await goToLine(page, a.ServeHTTP.line);
  const serveDrop = 100 * (b.ServeHTTP.totalSamples / b.allSamples - a.ServeHTTP.totalSamples / a.allSamples);
  await waitForCodeLens(page, new RegExp(escape(`${a.ServeHTTP.totalPercent} total · ${a.ServeHTTP.selfPercent} self`) + '.*' + escape(`▼ ${serveDrop.toFixed(1)} pts vs go-cpu.pb.gz (was ${b.ServeHTTP.totalPercent})`)), 5_000);
  // readCatalogFile, the hot path the fix removed, has no samples after it: its lens says it is gone.
  assert.equal(a.readCatalogFile.totalSamples, 0, 'the after-fix recording should not call readCatalogFile under load');
  const gone = `0% total now · ▼ ${(100 * b.readCatalogFile.totalSamples / b.allSamples).toFixed(1)} pts vs go-cpu.pb.gz (was ${b.readCatalogFile.totalPercent})`;
  await waitForCodeLens(page, new RegExp(escape(gone)), 5_000);
  const errors = (await notificationTexts(page)).filter((t) => /error|could not|failed/i.test(t));
  assert.deepEqual(errors, [], 'error notifications');
});
