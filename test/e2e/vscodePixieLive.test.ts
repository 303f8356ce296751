// Issue 3's live mode in real VS Code, driven like a user: Profile Pod with Pixie, window "Live". The status
// bar shows the live state, the fake Vizier receives a new PxL query on the (10 s) period and the refresh replaces
// the live profile instead of filling Compare's recent list, the unresolved-frames
// list (from the status bar) gives the kernel and runtime shares computed here from the folded fixture the
// fake serves, and "Stop Live Profiling" from the status bar stops the queries.
// Screenshots: .test-output/screenshots/pixie-live-*.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWorkbenchSession, type WorkbenchSession } from '../support/workbenchSession';
import { startFakeClusterProcess, type FakeClusterProcess } from '../support/fakeClusterProcess';
import { pixieDirectSettings, startFakeVizierProcess, type FakeVizierProcess } from '../support/fakeVizierProcess';
import { prepareGoShopWorkspace, type GoShopWorkspace } from '../support/goShopWorkspace';
import { expectedFoldedLenses, foldedLeafShares, pct } from '../support/goCpuExpectations';
import { repoRoot } from '../support/repoRoot';
import { profilePodWithPixie, profileStatusItem, setPixieApiKey, statusBarAction } from '../support/pixieUi';
import { dismissNotifications, openWorkbench, quickOpen, quickPickLabels, screenshot, waitForCodeLens } from '../support/workbench';

const POD = 'catalog-7d9f8-abcde';
const INTERVAL_S = 10;
const folded = join(repoRoot(), 'test', 'fixtures', 'profiles', 'go.folded');

let cluster: FakeClusterProcess;
let vizier: FakeVizierProcess;
let ws: GoShopWorkspace;
let session: WorkbenchSession;
let page: Page;

async function queries(): Promise<number> {
  return ((await vizier.control('/scripts')) as unknown[]).length;
}

async function queriesReach(n: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let now = await queries();
  while (now < n && Date.now() < deadline) {
    await page.waitForTimeout(250);
    now = await queries();
  }
  return now;
}

before(async () => {
  cluster = await startFakeClusterProcess({ msPerSecond: 100 });
  vizier = await startFakeVizierProcess();
  ws = prepareGoShopWorkspace({
    kubeconfigPath: cluster.state.kubeconfigPath,
    settings: {
      'podProfiler.agent': 'pixie',
      ...pixieDirectSettings(vizier.state),
      'podProfiler.pixie.liveIntervalSeconds': INTERVAL_S,
    },
  });
  session = await startWorkbenchSession('pixie-live', ws.dir);
  page = session.page;
});

after(async () => {
  await session?.stop();
  await vizier?.stop();
  await cluster?.stop();
  ws?.remove();
});

test('Pixie live mode: status bar shows it, queries repeat on the period, unresolved shares, stop from the status bar', async () => {
  const expected = expectedFoldedLenses(folded, ws.mainGo);
  const leaves = foldedLeafShares(folded);
  assert.ok(leaves.kernel > 0 && leaves.runtime > 0 && leaves.total === expected.allSamples, JSON.stringify(leaves));

  await openWorkbench(page, session.cs.folderUrl());
  await quickOpen(page, 'main.go');
  await setPixieApiKey(page, vizier.state.apiKey);
  const before = await queries();
  await profilePodWithPixie(page, { context: cluster.state.context, pod: POD, window: /Live/ });
  const firstAt = Date.now();

  // The first query's stacks land as CodeLens shares.
  const want = `${expected.parseCatalog.totalPercent} total · ${expected.parseCatalog.selfPercent} self`;
  await waitForCodeLens(page, new RegExp(want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 60_000);
  assert.equal(await queriesReach(before + 1, 10_000), before + 1, 'one PxL query for the first load');

  // The status bar names the live profile with the pulse icon.
  const item = profileStatusItem(page, `${POD} (Pixie, live)`);
  await item.waitFor({ timeout: 10_000 });
  assert.equal(await item.locator('.codicon-pulse').count(), 1, `no pulse icon in the status bar item: ${await item.innerHTML()}`);
  await dismissNotifications(page);
  await screenshot(page, 'pixie-live-01-status-bar');

  // A second query within the period plus slack.
  const after = await queriesReach(before + 2, INTERVAL_S * 1000 + 5_000 - (Date.now() - firstAt));
  assert.ok(after >= before + 2, `live mode sent ${after - before} queries in ${((Date.now() - firstAt) / 1000).toFixed(0)} s (interval ${INTERVAL_S} s)`);

  // A refresh updates the live profile in place: it does not pile up copies in Compare's recent list (they
  // would push real baselines, like the profile from before a fix, out of it).
  await page.waitForTimeout(3_000); // the refresh's resolution (milliseconds with the index built)
  await statusBarAction(page, item, 'Compare With Profile File');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Compare .* with/ }).waitFor({ timeout: 10_000 });
  const recent = await quickPickLabels(page);
  await screenshot(page, 'pixie-live-02-compare-list');
  assert.deepEqual(recent.filter((r) => r.includes('(Pixie, live)')), [], 'live refreshes were added to the recent list');
  await page.keyboard.press('Escape');

  // Unresolved frames, from the status bar: where the samples the workspace does not hold ended.
  await statusBarAction(page, item, 'Show Unresolved Frames');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /Unresolved frames of/ }).waitFor({ timeout: 10_000 });
  const rows = await quickPickLabels(page);
  await screenshot(page, 'pixie-live-03-unresolved');
  const row = (label: string) => rows.find((r) => r.startsWith(label)) ?? '';
  assert.ok(row('Kernel').includes(`${pct(leaves.kernel, leaves.total)} · ${leaves.kernel.toLocaleString('en-US')} samples`), `kernel row: ${JSON.stringify(rows)}`);
  assert.ok(
    row('Runtime and standard library').includes(`${pct(leaves.runtime, leaves.total)} · ${leaves.runtime.toLocaleString('en-US')} samples`),
    `runtime row: ${JSON.stringify(rows)}`,
  );
  assert.ok(row('Not symbolized').includes(pct(leaves.unsymbolized, leaves.total)), `unsymbolized row: ${JSON.stringify(rows)}`);
  await page.keyboard.press('Escape');

  // Stop from the status bar: the icon goes back to the flame, and no query follows.
  await statusBarAction(page, item, 'Stop Live Profiling');
  await item.locator('.codicon-flame').waitFor({ timeout: 5_000 });
  assert.equal(await item.locator('.codicon-pulse').count(), 0, 'still pulsing after Stop Live Profiling');
  const stopped = await queries();
  await page.waitForTimeout(INTERVAL_S * 1000 + 3_000);
  await screenshot(page, 'pixie-live-04-stopped');
  assert.equal(await queries(), stopped, 'queries continued after Stop Live Profiling');
  // The last live result stays on screen.
  await waitForCodeLens(page, new RegExp(want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 5_000);
});
