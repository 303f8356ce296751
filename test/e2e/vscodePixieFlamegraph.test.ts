// Issue 3 in real VS Code, driven like a user: Pixie as the Profile Pod source against the fake Vizier (the real
// Vizier gRPC proto, TLS with its own CA, self-hosted mode). A wrong API key gives an error that says what to
// do and never shows the key; with the right key, the CodeLens shares equal the folded fixture's; the
// flamegraph draws Kubernetes, kernel and user frames in their own colours; a double-click on parseCatalog
// (a name-only frame) lands on its declaration. Screenshots: .test-output/screenshots/pixie-*.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWorkbenchSession, type WorkbenchSession } from '../support/workbenchSession';
import { startFakeClusterProcess, type FakeClusterProcess } from '../support/fakeClusterProcess';
import { pixieDirectSettings, startFakeVizierProcess, type FakeVizierProcess } from '../support/fakeVizierProcess';
import { prepareGoShopWorkspace, type GoShopWorkspace } from '../support/goShopWorkspace';
import { expectedFoldedLenses } from '../support/goCpuExpectations';
import { decodePng, shareOf } from '../support/pngPixels';
import { repoRoot } from '../support/repoRoot';
import { profilePodWithPixie, setPixieApiKey } from '../support/pixieUi';
import {
  activeEditorPosition,
  dismissNotifications,
  flamegraphFrame,
  notificationTexts,
  openWorkbench,
  quickOpen,
  runCommand,
  screenshot,
  waitForCodeLens,
} from '../support/workbench';

const PARSE = 'main.(*productCatalog).parseCatalog';
const POD_FRAME = 'pod: catalog-7d9f8-abcde';
const folded = join(repoRoot(), 'test', 'fixtures', 'profiles', 'go.folded');

let cluster: FakeClusterProcess;
let vizier: FakeVizierProcess;
let ws: GoShopWorkspace;
let session: WorkbenchSession;
let page: Page;

/** The kernel function on the most samples in the fixture (BCC marks kernel frames with a `_[k]` suffix). */
function hottestKernelFrame(): string {
  const totals = new Map<string, number>();
  for (const line of readFileSync(folded, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const n = Number(line.slice(line.lastIndexOf(' ') + 1));
    for (const f of new Set(line.slice(0, line.lastIndexOf(' ')).split(';'))) if (f.endsWith('_[k]')) totals.set(f.slice(0, -4), (totals.get(f.slice(0, -4)) ?? 0) + n);
  }
  return [...totals].sort((a, b) => b[1] - a[1])[0][0];
}

async function profileWithPixie(): Promise<void> {
  await profilePodWithPixie(page, { context: cluster.state.context, pod: 'catalog-7d9f8-abcde', window: /Last 30s/ });
}

async function setApiKey(key: string): Promise<void> {
  await setPixieApiKey(page, key, 'pixie-00-api-key-input');
}

before(async () => {
  cluster = await startFakeClusterProcess({ msPerSecond: 100 });
  vizier = await startFakeVizierProcess();
  ws = prepareGoShopWorkspace({
    kubeconfigPath: cluster.state.kubeconfigPath,
    settings: {
      'podProfiler.agent': 'pixie',
      ...pixieDirectSettings(vizier.state),
    },
  });
  session = await startWorkbenchSession('pixie', ws.dir);
  page = session.page;
});

after(async () => {
  await session?.stop();
  await vizier?.stop();
  await cluster?.stop();
  ws?.remove();
});

test('Profile Pod with Pixie: key errors, CodeLens, flamegraph colours by frame kind, jump to the definition', async () => {
  await openWorkbench(page, session.cs.folderUrl());
  await quickOpen(page, 'main.go');

  const wrongKey = 'px-api-00000000-wrong-key';
  await setApiKey(wrongKey);
  await profileWithPixie();
  const deadline = Date.now() + 30_000;
  let texts: string[] = [];
  while (Date.now() < deadline && !texts.some((t) => /Profile Pod:/.test(t))) {
    texts = await notificationTexts(page);
    await page.waitForTimeout(250);
  }
  await screenshot(page, 'pixie-01-wrong-key');
  const error = texts.find((t) => /Profile Pod:/.test(t));
  assert.ok(error, `no error notification; notifications: ${JSON.stringify(texts)}`);
  assert.match(error, /Set Pixie API Key/, 'the error says what to do');
  assert.ok(!error.includes(wrongKey) && !error.includes(vizier.state.apiKey), 'the error shows no key');
  await dismissNotifications(page);

  await setApiKey(vizier.state.apiKey);
  await profileWithPixie();
  const expected = expectedFoldedLenses(folded, ws.mainGo);
  try {
    for (const e of [expected.readCatalogFile, expected.parseCatalog]) {
      const want = `${e.totalPercent} total · ${e.selfPercent} self`;
      await waitForCodeLens(page, new RegExp(want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 60_000);
    }
  } finally {
    await screenshot(page, 'pixie-02-codelens');
  }

  await dismissNotifications(page);
  await runCommand(page, 'Pod Profiler: Show Flamegraph');
  const fg = await flamegraphFrame(page);
  const kernel = hottestKernelFrame();
  await fg.waitForFunction((n) => (window as any).__flamegraphTest.frameRect(n) !== undefined, PARSE, { timeout: 30_000 });
  const box = (await (await fg.frameElement()).boundingBox())!;
  const rects: Record<string, { x: number; y: number; w: number; h: number }> = {};
  for (const name of [POD_FRAME, kernel, PARSE]) {
    rects[name] = await fg.evaluate((n) => (window as any).__flamegraphTest.frameRect(n), name);
    assert.ok(rects[name] && rects[name].w > 4, `${name} is not drawn: ${JSON.stringify(rects[name])}`);
  }
  await page.waitForTimeout(300);
  const pixels = decodePng(readFileSync(await screenshot(page, 'pixie-03-flamegraph')));
  const region = (r: { x: number; y: number; w: number; h: number }) => ({ x: Math.round(box.x + r.x + 1), y: Math.round(box.y + r.y + 1), w: Math.max(1, Math.round(Math.min(r.w, 200) - 2)), h: Math.max(1, Math.round(r.h - 2)) });
  const hue = (lo: number, hi: number) => (p: { h: number; s: number }) => p.s > 15 && p.h >= lo && p.h <= hi;
  // Theme chart colours (webview/palette.ts): k8s purple, kernel red, user code orange.
  assert.ok(shareOf(pixels, hue(250, 310), region(rects[POD_FRAME])) > 0.3, 'the pod frame is purple (Kubernetes)');
  assert.ok(shareOf(pixels, (p) => p.s > 15 && (p.h <= 15 || p.h >= 345), region(rects[kernel])) > 0.2, `the kernel frame ${kernel} is red`);
  assert.ok(shareOf(pixels, hue(20, 50), region(rects[PARSE])) > 0.3, 'parseCatalog is orange (your code)');

  const r = rects[PARSE];
  await page.mouse.dblclick(box.x + r.x + Math.min(r.w / 2, 40), box.y + r.y + r.h / 2);
  let pos = await activeEditorPosition(page);
  for (const until = Date.now() + 15_000; Date.now() < until && !(pos.file === 'main.go' && pos.line === expected.parseCatalog.line); ) {
    await page.waitForTimeout(250);
    pos = await activeEditorPosition(page);
  }
  await screenshot(page, 'pixie-04-jumped-to-definition');
  assert.deepEqual({ file: pos.file, line: pos.line }, { file: 'main.go', line: expected.parseCatalog.line });
});
