// The product's main path in real VS Code (code-server in headless Chromium), driven like a user:
// palette "Pod Profiler: Profile Pod..." -> context -> namespace -> pod -> duration against the fake cluster,
// then the CodeLens shares (computed here independently from the same pprof bytes), gutter heat, the
// flamegraph, and a double-click on parseCatalog that must land in main.go on the frame's line.
// Screenshots of every step: .test-output/screenshots/profile-pod-*.png
// Run: node scripts/build.mjs --tests && node --test out/test/e2e/vscodeProfilePod.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWorkbenchSession, type WorkbenchSession } from '../support/workbenchSession';
import { startFakeClusterProcess, type FakeClusterProcess } from '../support/fakeClusterProcess';
import { prepareGoShopWorkspace, type GoShopWorkspace } from '../support/goShopWorkspace';
import { expectedLenses } from '../support/goCpuExpectations';
import { readPprofWire } from '../support/pprofWire';
import { profileStatusItem } from '../support/pixieUi';
import {
  activeEditorPosition,
  codeLensTexts,
  dismissNotifications,
  goToLine,
  openWorkbench,
  pickRow,
  quickPickLabels,
  quickOpen,
  quickPickTitle,
  runCommand,
  screenshot,
  waitForCodeLens,
  notificationTexts,
  flamegraphFrame,
} from '../support/workbench';

const PARSE = 'main.(*productCatalog).parseCatalog';

let cluster: FakeClusterProcess;
let ws: GoShopWorkspace;
let session: WorkbenchSession;
let page: Page;

/** Lines of main.go that appear in some sampled stack (any frame), from the raw pprof. */
function sampledMainGoLines(profileFile: string): Set<number> {
  const p = readPprofWire(readFileSync(profileFile));
  const lines = new Set<number>();
  for (const s of p.samples) for (const id of s.locationIds) for (const l of p.locations.get(id) ?? []) {
    const fn = p.functions.get(l.functionId);
    if (fn?.file.endsWith('/main.go') && fn.name.startsWith('main.')) lines.add(l.line);
  }
  return lines;
}

/** The main.go line that holds the most CPU "within the workspace": each sample goes to the line of its deepest
 * main.go frame (its own code plus the library code it calls), the heat the issue asks for. */
function hottestWorkspaceLine(profileFile: string): number {
  const p = readPprofWire(readFileSync(profileFile));
  const byLine = new Map<number, number>();
  for (const s of p.samples) {
    // locationIds and their lines run leaf first: the first main.go frame met is the deepest.
    let deepest = 0;
    for (const id of s.locationIds) {
      for (const l of p.locations.get(id) ?? []) {
        const fn = p.functions.get(l.functionId);
        if (!deepest && fn?.file.endsWith('/main.go') && fn.name.startsWith('main.')) deepest = l.line;
      }
    }
    if (deepest) byLine.set(deepest, (byLine.get(deepest) ?? 0) + s.values[0]);
  }
  return [...byLine].sort((a, b) => b[1] - a[1])[0][0];
}

/** The line of `fn` that carries the most samples: where a jump to its frame must land. */
function heaviestLine(profileFile: string, fn: string): number {
  const p = readPprofWire(readFileSync(profileFile));
  const byLine = new Map<number, number>();
  for (const s of p.samples) {
    const seen = new Set<number>();
    for (const id of s.locationIds) for (const l of p.locations.get(id) ?? []) {
      if (p.functions.get(l.functionId)?.name !== fn || seen.has(l.line)) continue;
      seen.add(l.line);
      byLine.set(l.line, (byLine.get(l.line) ?? 0) + s.values[0]);
    }
  }
  return [...byLine].sort((a, b) => b[1] - a[1])[0][0];
}

/** 1-based editor lines that carry a gutter heat mark (an SVG gutter icon) in the visible editor. */
async function heatedLines(p: Page): Promise<number[]> {
  return p.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const numbers = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers')).map((el) => {
      const r = el.getBoundingClientRect();
      return { line: Number(el.textContent?.trim()), mid: r.top + r.height / 2 };
    });
    const marks = Array.from(editor.querySelectorAll('.margin *')).filter((el) => getComputedStyle(el).backgroundImage.includes('data:image/svg+xml'));
    const lines = new Set<number>();
    for (const m of marks) {
      const r = m.getBoundingClientRect();
      const mid = r.top + r.height / 2;
      const near = numbers.find((n) => Math.abs(n.mid - mid) < r.height / 2 + 1);
      if (near) lines.add(near.line);
    }
    return [...lines].sort((a, b) => a - b);
  });
}

before(async () => {
  cluster = await startFakeClusterProcess({ msPerSecond: 100, pyroscope: true });
  ws = prepareGoShopWorkspace({
    kubeconfigPath: cluster.state.kubeconfigPath,
    // The Go agent, so the pickers are context -> namespace -> pod -> duration; heat thresholds as shipped.
    settings: { 'podProfiler.agent': 'goPprof' },
  });
  session = await startWorkbenchSession('profile-pod', ws.dir);
  page = session.page;
});

after(async () => {
  await session?.stop();
  await cluster?.stop();
  ws?.remove();
});

test('Profile Pod from the palette against the fake cluster shows CodeLens, heat, flamegraph and jumps to source', async () => {
  const expected = expectedLenses(ws.profile, ws.mainGo);
  await openWorkbench(page, session.cs.folderUrl());
  await quickOpen(page, 'main.go');
  await screenshot(page, 'profile-pod-01-workspace');

  await runCommand(page, 'Pod Profiler: Profile Pod');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /context/i }).waitFor({ timeout: 20_000 });
  assert.match(await quickPickTitle(page), /Profile Pod.*context/i);
  await screenshot(page, 'profile-pod-02-context');
  await pickRow(page, cluster.state.context);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /namespace/i }).waitFor({ timeout: 20_000 });
  await pickRow(page, /^shop/);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /pod in shop/i }).waitFor({ timeout: 20_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'catalog-7d9f8-abcde' }).waitFor({ timeout: 20_000 });
  await screenshot(page, 'profile-pod-03-pods');
  await pickRow(page, 'catalog-7d9f8-abcde');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /recording length/i }).waitFor({ timeout: 20_000 });
  await screenshot(page, 'profile-pod-04-duration');
  await pickRow(page, /^10 s/);

  const parseLens = await waitForCodeLens(page, new RegExp(`${expected.parseCatalog.totalPercent.replace('.', '\\.')} total`), 60_000);
  // Each function's own numbers (the three differ), as a user reads them above the code.
  for (const e of [expected.readCatalogFile, expected.parseCatalog, expected.ServeHTTP]) {
    const want = `${e.totalPercent} total · ${e.selfPercent} self`;
    await waitForCodeLens(page, new RegExp(want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 20_000);
  }
  await screenshot(page, 'profile-pod-05-codelens');
  assert.ok((await codeLensTexts(page)).every((t) => t === '' || /🔥|ambiguous/.test(t)), JSON.stringify(await codeLensTexts(page)));
  assert.match(parseLens, /🔥/);
  const errors = (await notificationTexts(page)).filter((t) => /error|could not|failed/i.test(t));
  assert.deepEqual(errors, [], 'error notifications');

  // Heat is drawn per visible line: bring the hottest one (json.Unmarshal's call, line 32) to the middle.
  const sampled = sampledMainGoLines(ws.profile);
  const hottest = hottestWorkspaceLine(ws.profile);
  await goToLine(page, hottest);
  await page.waitForTimeout(500);
  const heated = await heatedLines(page);
  await screenshot(page, 'profile-pod-06-heat');
  assert.ok(heated.length > 0, 'no gutter heat marks in main.go');
  assert.ok(heated.includes(hottest), `the hottest line ${hottest} has no heat; heated: ${heated}`);
  for (const l of heated) assert.ok(sampled.has(l), `line ${l} is heated but has no samples (sampled: ${[...sampled]})`);

  await dismissNotifications(page);
  await runCommand(page, 'Pod Profiler: Show Flamegraph');
  await page.locator('iframe.webview.ready').first().waitFor({ state: 'attached', timeout: 30_000 });
  const fg = await flamegraphFrame(page);
  await fg.waitForFunction((n) => (window as any).__flamegraphTest.frameRect(n) !== undefined, PARSE, { timeout: 30_000 });
  await page.waitForTimeout(300);
  await screenshot(page, 'profile-pod-07-flamegraph');
  const rect = (await fg.evaluate((n) => (window as any).__flamegraphTest.frameRect(n), PARSE)) as { x: number; y: number; w: number; h: number };
  const box = await (await fg.frameElement()).boundingBox();
  assert.ok(box && rect.w > 2, `parseCatalog frame not clickable: ${JSON.stringify({ rect, box })}`);
  await page.mouse.dblclick(box.x + rect.x + Math.min(rect.w / 2, 40), box.y + rect.y + rect.h / 2);

  const line = heaviestLine(ws.profile, PARSE);
  let pos = await activeEditorPosition(page);
  for (const deadline = Date.now() + 15_000; Date.now() < deadline && !(pos.file === 'main.go' && pos.line === line); ) {
    await page.waitForTimeout(250);
    pos = await activeEditorPosition(page);
  }
  await screenshot(page, 'profile-pod-08-jumped-to-source');
  assert.deepEqual({ file: pos.file, line: pos.line }, { file: 'main.go', line }, 'a double-click on parseCatalog should open main.go at its hot line');

  // The graph beside follows the cursor: into ServeHTTP's body (the line after its declaration, found by the
  // regex in expectedLenses) selects ServeHTTP in the graph and its table row.
  const serve = expectedLenses(ws.profile, ws.mainGo).ServeHTTP;
  const selectedFn = () => fg.evaluate(() => (window as any).__flamegraphTest.state() as { selected?: string; tableSelected?: string });
  assert.notEqual((await selectedFn()).selected, serve.name, 'ServeHTTP is not selected before the cursor moves');
  await goToLine(page, serve.line + 1);
  await fg.waitForFunction((n) => (window as any).__flamegraphTest.state().selected === n, serve.name, { timeout: 10_000 }).catch(() => undefined);
  await screenshot(page, 'profile-pod-09-graph-follows-cursor');
  const state = await selectedFn();
  assert.equal(state.selected, serve.name, `the flamegraph should select ServeHTTP when the cursor enters it: ${JSON.stringify(state)}`);
  assert.equal(state.tableSelected, serve.name, 'its row in the functions table is selected too');
});

test('Profile Pod with Grafana Pyroscope from the palette: the profiler picker, the look-back window, CodeLens from the stored samples', async () => {
  const expected = expectedLenses(ws.profile, ws.mainGo);
  // Ask for the profiler this time (the workspace settings file is watched by VS Code).
  const settingsFile = join(ws.dir, '.vscode', 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), 'podProfiler.agent': 'ask' }, null, 2));
  await runCommand(page, 'Pod Profiler: Clear Profile Overlays');
  await page.locator('.tabs-container .tab', { hasText: 'main.go' }).first().click();
  const seenBefore = ((await (await fetch(`${cluster.state.controlUrl}/pyroscope-requests`)).json()) as unknown[]).length;

  await runCommand(page, 'Pod Profiler: Profile Pod');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /context/i }).waitFor({ timeout: 20_000 });
  await pickRow(page, cluster.state.context);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /namespace/i }).waitFor({ timeout: 20_000 });
  await pickRow(page, /^shop/);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /pod in shop/i }).waitFor({ timeout: 20_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'catalog-7d9f8-abcde' }).waitFor({ timeout: 20_000 });
  await pickRow(page, 'catalog-7d9f8-abcde');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /profiler/i }).waitFor({ timeout: 20_000 });
  const profilers = await quickPickLabels(page);
  for (const want of [/Pixie/, /Pyroscope/, /Parca/, /Go pprof/]) assert.ok(profilers.some((l) => want.test(l)), `profiler picker offers ${want}: ${JSON.stringify(profilers)}`);
  await screenshot(page, 'profile-pod-10-profiler-picker');
  await pickRow(page, /Grafana Pyroscope/);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /Pyroscope time window/i }).waitFor({ timeout: 20_000 });
  const windows = await quickPickLabels(page);
  assert.ok(windows.some((l) => /Last 1m.*default/.test(l)) || windows.some((l) => /^Last 1m/.test(l)), JSON.stringify(windows));
  await pickRow(page, /^Last 5m/);

  await waitForCodeLens(page, new RegExp(`${expected.parseCatalog.totalPercent.replace('.', '\\.')} total`), 60_000);
  await profileStatusItem(page, /\(Pyroscope, last 5m\)/).waitFor({ timeout: 10_000 });
  await screenshot(page, 'profile-pod-11-pyroscope');
  // The query asked for the last 5 minutes of the catalog pod's CPU profile.
  const seen = ((await (await fetch(`${cluster.state.controlUrl}/pyroscope-requests`)).json()) as Array<{ path: string; fields: Record<string, unknown> }>).slice(seenBefore);
  const merge = seen.find((r) => r.path === '/querier.v1.QuerierService/SelectMergeProfile');
  assert.ok(merge, JSON.stringify(seen.map((r) => r.path)));
  const { start, end, label_selector: selector } = merge.fields as { start: number; end: number; label_selector: string };
  assert.equal(Number(end) - Number(start), 300_000, `window ${JSON.stringify(merge.fields)}`);
  assert.match(String(selector), /pod="catalog-7d9f8-abcde"/);
  const errors = (await notificationTexts(page)).filter((t) => /error|could not|failed/i.test(t));
  assert.deepEqual(errors, [], 'error notifications');
});
