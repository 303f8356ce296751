// The flamegraph webview page on its own in headless Chromium: the panel's real HTML and CSP, dist/webview.js,
// a stub acquireVsCodeApi, and the real Go CPU profile. Every interaction is driven with Playwright; numbers
// are checked against an independent reading of the pprof file, pixels are read back from screenshots.
// Run: node scripts/build.mjs --tests && node --test out/test/e2e/flamegraphPage.test.js
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { toFlameData } from '../../src/views/flamegraph/flameData';
import { ProfileBuilder } from '../../src/model/profile';
import { buildLargeProfile, classifyGo, fixturePath, loadGoCpuProfile, pprofStacks } from '../support/flamegraphProfiles';
import { installVsCodeStub, launchChromium, posted, postToWebview, startPageServer, THEMES, type Browser, type PageServer, type ThemeName } from '../support/flamegraphPage';
import { decodePng, shareOf, pixelHsl, type Pixels } from '../support/pngPixels';
import { GESTURES } from '../../webview/help';

const PARSE = 'main.(*productCatalog).parseCatalog';
const SHOTS = join(process.cwd(), '.test-output', 'screenshots');

const profile = loadGoCpuProfile();
const data = toFlameData(profile, []);
const stacks = pprofStacks(fixturePath('go-cpu.pb.gz'));
const allSamples = stacks.reduce((a, s) => a + s.value, 0);
const parseSamples = stacks.filter((s) => s.stack.some((f) => f.name === PARSE)).reduce((a, s) => a + s.value, 0);

interface State {
  nodes: number;
  view: { x0: number; x1: number; scrollY: number };
  orientation: string;
  selected?: string;
  selectedFrameId?: number;
  selectedPath?: string[];
  selectedTotal?: number;
  matchedShare?: number;
  sandwich?: string;
  sandwichSelected?: { callers?: string; callees?: string; calleesSpan: number };
  tableSelected?: string;
  helpOpen: boolean;
  diff: boolean;
  usesToolkit: boolean;
  dark: boolean;
  lastDraw: { drawn: number; merged: number; ms: number };
}

let server: PageServer;
let browser: Browser;
const cspErrors: string[] = [];

async function openPage(theme: ThemeName = 'dark', state?: unknown): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
  page.on('pageerror', (e) => cspErrors.push(`page error: ${e.message}`));
  await installVsCodeStub(page, state);
  await page.goto(server.url(theme));
  await page.waitForFunction(() => (window as unknown as { __flamegraphTest?: unknown }).__flamegraphTest !== undefined);
  return page;
}

async function loadProfile(page: Page, extra: Record<string, unknown> = {}): Promise<void> {
  await postToWebview(page, { type: 'profile', data, title: 'go-cpu.pb.gz', ...extra });
  await page.waitForFunction((n) => (window as any).__flamegraphTest.state().nodes === n, data.parent.length);
}

/** Waits until the functions table holds all its rows (they are added in slices after a load or a sort). */
const tableDone = (page: Page) => page.waitForFunction(() => (window as any).__flamegraphTest.state().tableRendering === false && document.querySelector('#function-table tbody tr') !== null);
const state = (page: Page) => page.evaluate(() => (window as any).__flamegraphTest.state() as State);
const rectOf = (page: Page, name: string) =>
  page.evaluate((n) => (window as any).__flamegraphTest.frameRect(n) as { x: number; y: number; w: number; h: number } | undefined, name);
const frame = () => new Promise((r) => setTimeout(r, 50));

async function shot(page: Page, name: string, selector = '#graph-pane'): Promise<Pixels> {
  mkdirSync(SHOTS, { recursive: true });
  const buf = await page.locator(selector).screenshot();
  writeFileSync(join(SHOTS, `${name}.png`), buf);
  const px = decodePng(buf);
  assert.ok(px.width > 100 && px.height > 30, `${name}: screenshot ${px.width}x${px.height}`);
  return px;
}

/** Independent: samples of raw stacks whose function-name sequence starts with `path`. */
function samplesUnder(path: readonly string[]): number {
  let n = 0;
  for (const s of stacks) {
    const names: string[] = [];
    for (const f of s.stack) names.push(f.name);
    if (path.every((p, i) => names[i] === p)) n += s.value;
  }
  return n;
}

/** Independent layout of the data: x start of each node (siblings left to right in data order, from the parent's start). */
const starts = (() => {
  const n = data.parent.length;
  const start = new Float64Array(n);
  const cursor = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const p = data.parent[i];
    start[i] = cursor[p];
    cursor[p] += data.total[i];
    cursor[i] = start[i];
  }
  return start;
})();
const nameOf = (i: number) => (i === 0 ? 'all' : data.frames[data.frame[i]].name);

/** Widest node of each function name (the first in data order on ties). */
const widestByName = (() => {
  const m = new Map<string, number>();
  for (let i = 1; i < data.parent.length; i++) {
    const b = m.get(nameOf(i));
    if (b === undefined || data.total[i] > data.total[b]) m.set(nameOf(i), i);
  }
  return m;
})();

/**
 * A function whose widest node lies inside the view, narrow, in a visible row and well off the view's centre,
 * so centring on it visibly moves the view and cannot be clamped at the graph's edges.
 */
function offCentreFunction(view: { x0: number; x1: number }): { name: string; centre: number } {
  const span = view.x1 - view.x0;
  const mid = (view.x0 + view.x1) / 2;
  for (const [name, i] of widestByName) {
    const w = data.total[i];
    const c = starts[i] + w / 2;
    if (w > span / 4 || w < span / 25 || data.depth[i] > 20) continue;
    if (starts[i] < view.x0 || starts[i] + w > view.x1 || Math.abs(c - mid) < span * 0.15) continue;
    if (c < span / 2 || c > allSamples - span / 2) continue;
    return { name, centre: c };
  }
  throw new Error('no off-centre function in the view');
}

/** Samples of each function right next to the outermost occurrence of `fn` on every stack (+1 callee, -1 caller). */
function neighbourSums(fn: string, step: 1 | -1): Map<string, number> {
  const sums = new Map<string, number>();
  for (const s of stacks) {
    const k = s.stack.findIndex((f) => f.name === fn);
    const f = k >= 0 ? s.stack[k + step] : undefined;
    if (f) sums.set(f.name, (sums.get(f.name) ?? 0) + s.value);
  }
  return sums;
}
const heaviest = <K,>(m: Map<K, number>): [K, number] => [...m].reduce((a, b) => (b[1] > a[1] ? b : a));

before(async () => {
  server = await startPageServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('flamegraph page in headless Chromium', () => {
  test('says ready, draws the real profile with user code orange and runtime dimmed', async () => {
    const page = await openPage('dark');
    const msgs = await posted(page);
    assert.deepEqual(msgs[0], { type: 'ready' });
    await loadProfile(page);
    const s = await state(page);
    assert.equal(s.usesToolkit, true, 'toolbar uses @vscode/webview-ui-toolkit');
    assert.ok(s.lastDraw.drawn > 20, `drew ${s.lastDraw.drawn} bars`);
    const px = await shot(page, 'dark-icicle');
    // Not empty: most of the top rows are bars, not background (#1e1e1e has lightness ~12).
    const nonBg = shareOf(px, (c) => c.l > 16 || c.s > 10, { x: 0, y: 60, w: px.width, h: 80 });
    assert.ok(nonBg > 0.5, `non-background share ${nonBg}`);
    // User code (main.*) in the theme's orange (hue ~36), runtime frames in the desaturated blue-grey.
    const orange = shareOf(px, (c) => c.h > 25 && c.h < 50 && c.s > 40 && c.l > 50);
    const runtime = shareOf(px, (c) => c.h > 200 && c.h < 230 && c.s > 8 && c.s < 30);
    assert.ok(orange > 0.005, `orange share ${orange}`);
    assert.ok(runtime > 0.01, `runtime share ${runtime}`);
    const legend = await page.locator('#legend').innerText();
    assert.match(legend, /Your code/);
    assert.match(legend, /Runtime/);
    await page.close();
  });

  test('hover shows function, totals and percent matching the pprof file', async () => {
    const page = await openPage();
    await loadProfile(page);
    const r = await rectOf(page, PARSE);
    assert.ok(r, 'parseCatalog is drawn');
    await page.mouse.move(r.x + Math.min(r.w / 2, 40), r.y + r.h / 2);
    await page.waitForSelector('#tooltip:not([hidden])');
    const text = await page.locator('#tooltip').innerText();
    assert.match(text, /parseCatalog/);
    const m = /Total\s+([\d,]+) samples \(([\d.]+)%\)/.exec(text);
    assert.ok(m, text);
    const shown = Number(m[1].replace(/,/g, ''));
    // Click to select it, read its path, count the raw stacks under that path independently.
    await page.mouse.click(r.x + Math.min(r.w / 2, 40), r.y + r.h / 2);
    const s = await state(page);
    assert.equal(s.selected, PARSE);
    assert.equal(shown, samplesUnder(s.selectedPath!));
    assert.equal(Number(m[2]).toFixed(1), ((100 * shown) / allSamples).toFixed(1));
    await shot(page, 'hover-tooltip', 'body');
    await page.close();
  });

  test('click zooms to the frame, click on the root bar resets', async () => {
    const page = await openPage();
    await loadProfile(page);
    const r = (await rectOf(page, PARSE))!;
    await page.mouse.click(r.x + 2, r.y + r.h / 2);
    await frame();
    let s = await state(page);
    assert.equal(Math.round(s.view.x1 - s.view.x0), s.selectedTotal);
    const zoomed = (await rectOf(page, PARSE))!;
    const canvasBox = (await page.locator('#flamegraph').boundingBox())!;
    assert.ok(zoomed.w > canvasBox.width - 2, `zoomed width ${zoomed.w} of ${canvasBox.width}`);
    await shot(page, 'zoomed');
    // The root bar is the first row of the icicle.
    await page.mouse.click(canvasBox.x + 50, canvasBox.y + 5);
    await frame();
    s = await state(page);
    assert.equal(s.view.x0, 0);
    assert.equal(s.view.x1, allSamples);
    await page.close();
  });

  test('double-click, the context menu, the toolbar button and the O key post openSource for parseCatalog in main.go', async () => {
    const page = await openPage();
    await loadProfile(page);
    const r = (await rectOf(page, PARSE))!;
    await page.mouse.dblclick(r.x + 2, r.y + r.h / 2);
    await frame();
    const opens = async () => (await posted(page)).filter((m) => m.type === 'openSource');
    let o = await opens();
    assert.equal(o.length, 1);
    const f = profile.frames[o[0].frameId as number];
    assert.equal(f.name, PARSE);
    assert.match(f.file ?? '', /main\.go$/);
    // parseCatalog's body is lines 38-48 of the fixture's main.go.
    assert.ok(f.line! >= 38 && f.line! <= 48, `line ${f.line}`);
    const v = (await state(page)).view;
    assert.deepEqual([v.x0, v.x1], [0, allSamples], 'a double-click leaves the view as it was (its first click zoomed)');

    await page.mouse.click(r.x + 2, r.y + r.h / 2, { button: 'right' });
    await page.waitForSelector('#context-menu:not([hidden])');
    await shot(page, 'context-menu', 'body');
    await page.locator('#context-menu button', { hasText: 'Open source' }).click();
    await page.locator('#open-source').click();
    await page.locator('#flamegraph').focus();
    await page.keyboard.press('o');
    await page.keyboard.press('Control+Enter');
    o = await opens();
    assert.equal(o.length, 5);
    assert.ok(o.every((m) => m.frameId === o[0].frameId));
    await page.close();
  });

  test('keyboard: arrows move between frames, Enter zooms, Escape resets; focus ring visible', async () => {
    const page = await openPage();
    await loadProfile(page);
    await page.locator('#flamegraph').focus();
    const outline = await page.evaluate(() => getComputedStyle(document.getElementById('flamegraph')!).outlineStyle);
    assert.equal(outline, 'solid');
    await page.keyboard.press('ArrowDown');
    let s = await state(page);
    // From the root, Down selects its widest child.
    const rootKids = data.parent.map((p, i) => (p === 0 ? i : -1)).filter((i) => i > 0);
    const widest = rootKids.reduce((a, b) => (data.total[b] > data.total[a] ? b : a));
    assert.equal(s.selected, data.frames[data.frame[widest]].name);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const deep = (await state(page)).selectedPath!;
    assert.equal(deep.length, 3);
    await page.keyboard.press('ArrowUp');
    assert.deepEqual((await state(page)).selectedPath, deep.slice(0, 2));
    await page.keyboard.press('ArrowRight');
    s = await state(page);
    assert.equal(s.selectedPath!.length, 2, 'right stays on the same depth');
    assert.notDeepEqual(s.selectedPath, deep.slice(0, 2));
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual((await state(page)).selectedPath, deep.slice(0, 2));
    await page.keyboard.press('Enter');
    await frame();
    s = await state(page);
    assert.equal(Math.round(s.view.x1 - s.view.x0), samplesUnder(deep.slice(0, 2)));
    await shot(page, 'keyboard-selection');
    await page.keyboard.press('Escape');
    await frame();
    s = await state(page);
    assert.equal(s.view.x1 - s.view.x0, allSamples);
    await page.close();
  });

  test('on a screen of twice the scale the graph and minimap draw at twice the pixels, and a click lands on its bar', async () => {
    const page = await openPage();
    // A HiDPI screen: devicePixelRatio 2, the same CSS size.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
    await loadProfile(page);
    await frame();
    const canvases = await page.evaluate(() =>
      ['flamegraph', 'minimap'].map((id) => {
        const c = document.getElementById(id) as HTMLCanvasElement;
        const r = c.getBoundingClientRect();
        return { id, css: [r.width, r.height], store: [c.width, c.height] };
      }),
    );
    for (const c of canvases) assert.deepEqual(c.store, c.css.map((v) => Math.round(v * 2)), `${c.id}: backing store ${c.store} for CSS ${c.css}`);
    // Drawn at that ratio, not just sized (a canvas sized after its draw is blank). (Playwright, unaware of the
    // override, shoots at scale 1.)
    const graph = await shot(page, 'graph-at-scale-2', '#flamegraph');
    assert.ok(shareOf(graph, (c) => c.l > 16 || c.s > 10) > 0.3, 'the graph is drawn');
    assert.ok(shareOf(graph, (c) => c.h > 25 && c.h < 50 && c.s > 40 && c.l > 50) > 0.02, 'with the user code in orange');
    const mini = await shot(page, 'minimap-at-scale-2', '#minimap');
    assert.ok(shareOf(mini, (c) => c.s > 30) > 0.05, 'the minimap is drawn');
    // Hit-testing stays in CSS pixels.
    const r = (await rectOf(page, PARSE))!;
    await page.mouse.click(r.x + 2, r.y + r.h / 2);
    await page.waitForFunction((n) => (window as any).__flamegraphTest.state().selected === n, PARSE);
    await cdp.detach();
    await page.close();
  });

  test('wheel zooms at the pointer, drag pans, the minimap moves the view', async () => {
    const page = await openPage();
    await loadProfile(page);
    const box = (await page.locator('#flamegraph').boundingBox())!;
    const px = box.x + box.width * 0.25;
    await page.mouse.move(px, box.y + 100);
    await page.mouse.wheel(0, -400);
    await frame();
    let s = await state(page);
    const span = s.view.x1 - s.view.x0;
    assert.ok(span < allSamples * 0.7, `zoomed span ${span}`);
    // The value under the pointer stays where it was: 25% of the full width.
    const under = s.view.x0 + 0.25 * span;
    assert.ok(Math.abs(under - allSamples * 0.25) < allSamples * 0.01, `anchor ${under}`);
    // Drag 100 px to the right: the view moves left by 100 px worth of value.
    const before = s.view.x0;
    await page.mouse.move(box.x + 400, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + 450, box.y + 100, { steps: 3 });
    await page.mouse.move(box.x + 500, box.y + 100, { steps: 3 });
    await page.mouse.up();
    s = await state(page);
    const expected = Math.max(0, before - (100 * span) / box.width);
    assert.ok(Math.abs(s.view.x0 - expected) < span * 0.01, `x0 ${s.view.x0} expected ${expected}`);
    // Minimap: click at 80% centres the view there (drag continues it).
    const mm = (await page.locator('#minimap').boundingBox())!;
    await page.mouse.move(mm.x + mm.width * 0.6, mm.y + mm.height / 2);
    await page.mouse.down();
    await page.mouse.move(mm.x + mm.width * 0.8, mm.y + mm.height / 2, { steps: 4 });
    await page.mouse.up();
    await frame();
    s = await state(page);
    const centre = (s.view.x0 + s.view.x1) / 2;
    const want = Math.min(allSamples * 0.8, allSamples - span / 2);
    assert.ok(Math.abs(centre - want) < allSamples * 0.01, `centre ${centre} want ${want}`);
    const mini = await shot(page, 'minimap', '#minimap');
    assert.ok(shareOf(mini, (c) => c.s > 30) > 0.05, 'minimap is coloured');
    await page.close();
  });

  test('search (regex, case toggle) highlights matches and shows the matched share counted once per stack', async () => {
    const page = await openPage();
    await loadProfile(page);
    const input = page.locator('#search input');
    await input.fill('parse.atalog');
    await frame();
    let s = await state(page);
    assert.equal(s.matchedShare, parseSamples / allSamples);
    const info = await page.locator('#match-info').innerText();
    assert.match(info, new RegExp(`${((100 * parseSamples) / allSamples).toFixed(1)}% matched`));
    await shot(page, 'search');
    await input.fill('PARSECATALOG');
    await frame();
    assert.equal((await state(page)).matchedShare, parseSamples / allSamples, 'case-insensitive by default');
    await page.locator('#case-toggle').click();
    await frame();
    assert.equal((await state(page)).matchedShare, 0);
    assert.equal(await page.locator('#match-info').innerText(), 'no match');
    await input.fill('main\\.(');
    await frame();
    assert.equal(await page.locator('#match-info').innerText(), 'invalid regex');
    // Once per stack: matching every main.* function counts each stack under main.main once.
    await page.locator('#case-toggle').click();
    await input.fill('^main\\.');
    await frame();
    s = await state(page);
    const mainStacks = stacks.filter((st) => st.stack.some((f) => f.name.startsWith('main.'))).reduce((a, st) => a + st.value, 0);
    assert.equal(s.matchedShare, mainStacks / allSamples);
    await page.close();
  });

  test('functions table sorts by self and total; a row selects the function, the toolbar opens its sandwich', async () => {
    const page = await openPage();
    await loadProfile(page);
    const rows = page.locator('#function-table tbody tr');
    await tableDone(page);
    assert.ok((await rows.count()) > 10);
    // Rows are added in slices after a load or a sort: read them once the table says it is done.
    const pct = async (col: number) => {
      await tableDone(page);
      return (await page.locator(`#function-table tbody tr td:nth-child(${col})`).allInnerTexts()).map((t) => parseFloat(t.replace('<', '')));
    };
    const self = await pct(2);
    assert.deepEqual(self, [...self].sort((a, b) => b - a), 'sorted by self, descending');
    await page.locator('#function-table th[data-sort="total"]').click();
    const total = await pct(3);
    assert.deepEqual(total, [...total].sort((a, b) => b - a));
    const parseRow = page.locator('#function-table tbody tr', { hasText: PARSE });
    const parseTotal = await parseRow.locator('td:nth-child(3)').innerText();
    assert.equal(parseFloat(parseTotal), Number(((100 * parseSamples) / allSamples).toFixed(1)));
    await parseRow.click();
    await frame();
    let s = await state(page);
    assert.equal(s.selected, PARSE, 'a row click selects the function in the graph');
    assert.equal(s.sandwich, undefined);
    await page.locator('#sandwich-toggle').click();
    await frame();
    s = await state(page);
    assert.equal(s.sandwich, PARSE);
    assert.equal(await page.locator('#sandwich').isVisible(), true);
    const px = await shot(page, 'sandwich');
    assert.ok(shareOf(px, (c) => c.h > 25 && c.h < 50 && c.s > 40) > 0.01, 'sandwich shows parseCatalog bars');
    await page.locator('#sandwich-toggle').click();
    assert.equal(await page.locator('#sandwich').isVisible(), false);
    await page.locator('#function-table th[data-sort="total"]').click();
    const asc = await pct(3);
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b), 'second click sorts ascending');

    await page.close();
  });

  test('flame orientation puts the root at the bottom', async () => {
    const page = await openPage();
    await loadProfile(page);
    const icicle = (await rectOf(page, PARSE))!;
    await page.locator('#orientation').click();
    await frame();
    assert.equal((await state(page)).orientation, 'flame');
    const flame = (await rectOf(page, PARSE))!;
    const box = (await page.locator('#flamegraph').boundingBox())!;
    assert.ok(flame.y > icicle.y, 'parseCatalog moves down');
    // The root row sits at the bottom of the canvas: clicking it resets.
    assert.ok(box.y + box.height - flame.y < box.height);
    await shot(page, 'flame');
    await page.close();
  });

  test('compare: differential flamegraph colours growth red and shrink blue', async () => {
    const page = await openPage();
    await loadProfile(page);
    // Baseline: the same recording with 80% of the parseCatalog samples removed ("before" had less of it).
    const b = new ProfileBuilder(classifyGo);
    for (const s of stacks) b.addStack(s.stack, s.stack.some((f) => f.name === PARSE) ? Math.round(s.value * 0.2) : s.value);
    const baseline = toFlameData(b.build({ source: 'baseline', unit: 'samples' }), []);
    await postToWebview(page, { type: 'profile', data, title: 'after', baseline, baselineTitle: 'before' });
    await page.waitForFunction(() => (window as any).__flamegraphTest.state().diff === true);
    const r = (await rectOf(page, PARSE))!;
    const px = await shot(page, 'diff', 'body');
    const hsl = pixelHsl(px, Math.round(r.x + Math.min(r.w / 2, 40)), Math.round(r.y + r.h / 2));
    assert.ok((hsl.h < 15 || hsl.h > 345) && hsl.s > 30, `parseCatalog is red: ${JSON.stringify(hsl)}`);
    assert.ok(shareOf(px, (c) => c.h > 200 && c.h < 230 && c.s > 30) > 0.005, 'something shrank (blue)');
    await page.mouse.move(r.x + 2, r.y + r.h / 2);
    await page.waitForSelector('#tooltip:not([hidden])');
    assert.match(await page.locator('#tooltip').innerText(), /Change\s+\+\d/);
    assert.match(await page.locator('#legend').innerText(), /Grew/);
    await page.close();
  });

  test('export: PNG and SVG of the view, copy stack', async () => {
    const page = await openPage();
    await loadProfile(page);
    const r = (await rectOf(page, PARSE))!;
    await page.mouse.click(r.x + 2, r.y + r.h / 2);
    await page.locator('#save-png').click();
    await page.locator('#save-svg').click();
    await page.locator('#copy-stack').click();
    const msgs = await posted(page);
    const png = msgs.find((m) => m.type === 'saveImage' && m.format === 'png');
    assert.ok(png);
    const img = decodePng(Buffer.from((png.data as string).split(',')[1], 'base64'));
    assert.ok(img.width > 100 && shareOf(img, (c) => c.s > 30) > 0.05, 'exported PNG is coloured');
    const svg = msgs.find((m) => m.type === 'saveImage' && m.format === 'svg');
    assert.match(svg!.data as string, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg!.data as string, /parseCatalog/);
    const copy = msgs.find((m) => m.type === 'copyText');
    const lines = (copy!.text as string).split('\n');
    assert.equal(lines[0], PARSE, 'leaf first');
    assert.equal(lines.length, (await state(page)).selectedPath!.length);
    await page.close();
  });

  test('malformed messages are ignored and logged; state survives a reload', async () => {
    const page = await openPage();
    await loadProfile(page);
    await postToWebview(page, { type: 'profile', data: { ...data, total: data.total.slice(1) }, title: 'bad' });
    await postToWebview(page, { type: 'eval', code: 'alert(1)' });
    await frame();
    const logs = (await posted(page)).filter((m) => m.type === 'log' && m.level === 'warn');
    assert.equal(logs.length, 2);
    assert.equal((await state(page)).nodes, data.parent.length, 'previous profile still shown');
    // Zoom, search and flip, then reload the page with the saved state: the host re-sends the data.
    const r = (await rectOf(page, PARSE))!;
    await page.mouse.click(r.x + 2, r.y + r.h / 2);
    await page.locator('#search input').fill('json');
    await page.locator('#orientation').click();
    await frame();
    const savedState = await page.evaluate(() => (window as any).__state);
    const before = await state(page);
    await page.close();
    const again = await openPage('dark', savedState);
    await loadProfile(again);
    const after = await state(again);
    assert.equal(after.orientation, 'flame');
    assert.equal(after.selected, PARSE);
    assert.ok(Math.abs(after.view.x0 - before.view.x0) < 1e-6 && Math.abs(after.view.x1 - before.view.x1) < 1e-6);
    assert.equal(await again.locator('#search input').inputValue(), 'json');
    assert.equal(after.matchedShare, before.matchedShare);
    await again.close();
  });

  test('light and high-contrast themes', async () => {
    for (const theme of ['light', 'high-contrast'] as const) {
      const page = await openPage(theme);
      await loadProfile(page);
      const s = await state(page);
      assert.equal(s.dark, theme !== 'light');
      const px = await shot(page, theme);
      assert.ok(shareOf(px, (c) => c.h > 25 && c.h < 50 && c.s > 40) > 0.005, `${theme}: user code orange`);
      await page.close();
    }
  });

  test('a theme change while open redraws in its colours; the page\'s own body classes cause no extra draw', async () => {
    const page = await openPage('dark');
    await loadProfile(page);
    await page.waitForFunction(() => (window as any).__flamegraphTest.timings.tableAt > 0);
    await frame();
    await frame();
    // One draw of the graph, for the first frame; the table and minimap follow without drawing it again.
    // Removing body's 'empty' class when the data arrived once re-read the theme and drew everything again
    // before the first frame; the legend filling in (the graph shrinks) once made a second draw after it.
    assert.equal(await page.evaluate(() => (window as any).__flamegraphTest.drawTimes.length), 1);
    assert.ok((await page.evaluate(() => (window as any).__flamegraphTest.timings.minimapAt)) > 0, 'minimap drawn');
    assert.equal((await state(page)).dark, true);
    // What VS Code does on a theme change: theme class on body, variables in html's style attribute.
    await page.evaluate((vars) => {
      // Through the CSSOM, as a strict CSP blocks writing the style attribute as text.
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.replace('vscode-dark', 'vscode-light');
    }, THEMES.light.vars as Record<string, string>);
    await page.waitForFunction(() => (window as any).__flamegraphTest.state().dark === false);
    await frame();
    const px = await shot(page, 'theme-switched', '#flamegraph');
    // The empty lower part of the canvas is the light editor background now (white, lightness ~100).
    assert.ok(shareOf(px, (c) => c.l > 95, { x: 0, y: Math.floor(px.height * 0.9), w: px.width, h: Math.floor(px.height * 0.1) }) > 0.8, 'light background');
    await page.close();
  });

  test('? opens the help listing every gesture; Escape, the toolbar button and a click outside close it', async () => {
    const page = await openPage();
    await loadProfile(page);
    const toolbarBox = (await page.locator('#toolbar').boundingBox())!;
    const button = (await page.locator('#help').boundingBox())!;
    assert.ok(button.y >= toolbarBox.y && button.y + button.height <= toolbarBox.y + toolbarBox.height, 'the ? button sits in the toolbar');
    await page.locator('#flamegraph').focus();
    await page.keyboard.press('?');
    assert.equal((await state(page)).helpOpen, true);
    assert.equal(await page.locator('#shortcuts').isVisible(), true);
    const helpBox = (await page.locator('#shortcuts').boundingBox())!;
    assert.ok(helpBox.y >= button.y + button.height, `the help opens below its button, which stays clickable (${helpBox.y} < ${button.y + button.height})`);
    const text = await page.locator('#shortcuts').innerText();
    for (const g of GESTURES.flatMap((x) => x.items)) {
      assert.ok(text.includes(g.keys) && text.includes(g.does), `help lists ${g.keys}`);
    }
    // Every gesture the graph handles is documented (a list kept here, apart from help.ts).
    for (const [keys, does] of [
      ['Double-click', /source/i], ['Ctrl/Cmd+click', /centre/i], ['Wheel', /zoom/i], ['Drag', /pan/i], ['Minimap', /move/i],
      ['Enter', /zoom/i], ['Escape', /reset/i], ['C', /centre/i], ['O, Ctrl/Cmd+Enter', /source/i], ['S', /callers and callees/i],
      ['/', /search/i], ['?', /help/i], ['Click a row', /select/i], ['Enter, double-click', /source/i],
    ] as const) {
      const line = text.split('\n').findIndex((l) => l.trim() === keys || l.startsWith(`${keys} `) || l.startsWith(`${keys},`));
      assert.ok(line >= 0, `help has a line for ${keys}`);
      assert.match(text.split('\n')[line + 1] ?? '', does, `${keys}: ${text.split('\n')[line + 1]}`);
    }
    const px = await shot(page, 'help', '#shortcuts');
    assert.ok(shareOf(px, (c) => c.l > 50) > 0.02, 'help text is drawn');
    await page.keyboard.press('Escape');
    assert.equal((await state(page)).helpOpen, false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'flamegraph', 'focus returns to the graph');
    await page.locator('#help').click();
    assert.equal((await state(page)).helpOpen, true);
    await page.locator('#help').click();
    assert.equal((await state(page)).helpOpen, false);
    await page.locator('#help').click();
    await page.locator('#legend').click();
    assert.equal((await state(page)).helpOpen, false, 'a click outside closes it');
    await page.close();
  });

  test('ctrl+click centres on the frame keeping the zoom span; C centres the selected frame', async () => {
    const page = await openPage();
    await loadProfile(page);
    await page.locator('#flamegraph').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    await frame();
    const zoomed = (await state(page)).view;
    const span = zoomed.x1 - zoomed.x0;
    assert.ok(span < allSamples * 0.4, `zoomed in: ${span}`);
    const target = offCentreFunction(zoomed);
    const r = (await rectOf(page, target.name))!;
    assert.deepEqual((await state(page)).view, zoomed, 'the target was already in view');
    const box = (await page.locator('#flamegraph').boundingBox())!;
    assert.ok(Math.abs(r.x + r.w / 2 - (box.x + box.width / 2)) > 60, 'the target starts off-centre');
    await page.keyboard.down('Control');
    await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
    await page.keyboard.up('Control');
    await frame();
    let s = await state(page);
    assert.equal((await posted(page)).filter((m) => m.type === 'openSource').length, 0, 'ctrl+click does not open the source');
    assert.equal(s.selected, target.name);
    assert.ok(Math.abs(s.view.x1 - s.view.x0 - span) < 1e-6, `span kept: ${s.view.x1 - s.view.x0} vs ${span}`);
    assert.ok(Math.abs((s.view.x0 + s.view.x1) / 2 - target.centre) < 1e-6, `centred on ${target.centre}: ${JSON.stringify(s.view)}`);
    const after = (await rectOf(page, target.name))!;
    assert.ok(Math.abs(after.x + after.w / 2 - (box.x + box.width / 2)) < 2, 'drawn in the middle');

    // C: select with the host's selectFunction (no zoom, no move), then centre.
    await page.keyboard.press('Escape');
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    await frame();
    const before = (await state(page)).view;
    await postToWebview(page, { type: 'selectFunction', name: target.name });
    await page.waitForFunction((n) => (window as any).__flamegraphTest.state().selected === n, target.name);
    assert.deepEqual((await state(page)).view, before, 'selectFunction does not move a visible frame');
    await page.locator('#flamegraph').focus();
    await page.keyboard.press('c');
    await frame();
    s = await state(page);
    assert.ok(Math.abs(s.view.x1 - s.view.x0 - span) < 1e-6);
    assert.ok(Math.abs((s.view.x0 + s.view.x1) / 2 - target.centre) < 1e-6, `C centred: ${JSON.stringify(s.view)}`);
    await page.close();
  });

  test('selectFunction from the host selects the widest frame and scrolls its table row into view', async () => {
    const page = await openPage();
    await loadProfile(page);
    const rows = page.locator('#function-table tbody tr');
    await tableDone(page);
    const count = await rows.count();
    const row = rows.nth(Math.min(120, count - 1));
    const name = await row.locator('td').first().innerText();
    const pane = (await page.locator('#table-pane').boundingBox())!;
    const inPane = async () => {
      const b = (await row.boundingBox())!;
      return b.y >= pane.y && b.y + b.height <= pane.y + pane.height;
    };
    assert.equal(await inPane(), false, `row ${name} starts below the fold (${count} rows)`);
    await postToWebview(page, { type: 'selectFunction', name });
    await page.waitForFunction((n) => (window as any).__flamegraphTest.state().selected === n, name);
    await frame();
    const s = await state(page);
    assert.equal(s.tableSelected, name);
    assert.equal(s.selectedTotal, data.total[widestByName.get(name)!], 'the widest node of the function');
    assert.equal(s.view.x1 - s.view.x0, allSamples, 'no zoom');
    assert.match((await row.getAttribute('class')) ?? '', /\bselected\b/);
    assert.equal(await inPane(), true, 'the row is scrolled into view');
    assert.equal((await posted(page)).filter((m) => m.type === 'openSource').length, 0, 'no source opened');

    // A narrower frame of a function is selected (double-clicked, and the editor followed to its line): the
    // host's selectFunction for that function keeps it instead of jumping to the widest.
    const pathOf = (i: number) => {
      const out: string[] = [];
      for (let p = i; p > 0; p = data.parent[p]) out.push(nameOf(p));
      return out.reverse();
    };
    let narrow = -1;
    for (let i = 1; i < data.parent.length && narrow < 0; i++) if (data.total[i] > 0 && i !== widestByName.get(nameOf(i)) && data.total[i] < data.total[widestByName.get(nameOf(i))!]) narrow = i;
    assert.ok(narrow > 0, 'some function has a narrower second frame');
    await page.evaluate((p) => (window as any).__flamegraphTest.selectPath(p), pathOf(narrow));
    assert.deepEqual((await state(page)).selectedPath, pathOf(narrow));
    await postToWebview(page, { type: 'selectFunction', name: nameOf(narrow) });
    await frame();
    assert.deepEqual((await state(page)).selectedPath, pathOf(narrow), 'the selected frame of the function is kept');
    await page.close();
  });

  test('functions table keyboard: arrows select the next function in the graph, Enter and double-click open its source', async () => {
    const page = await openPage();
    await loadProfile(page);
    const rows = page.locator('#function-table tbody tr');
    await tableDone(page);
    const nameAt = (i: number) => rows.nth(i).locator('td').first().innerText();
    await rows.first().click();
    assert.equal((await state(page)).selected, await nameAt(0));
    await page.keyboard.press('ArrowDown');
    await frame();
    const second = await nameAt(1);
    let s = await state(page);
    assert.equal(s.tableSelected, second);
    assert.equal(s.selected, second);
    assert.equal(s.selectedTotal, data.total[widestByName.get(second)!], 'the function\'s widest frame');
    assert.equal(s.view.x1 - s.view.x0, s.selectedTotal, 'zoomed to it');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('tr')?.dataset.fn), await rows.nth(1).getAttribute('data-fn'), 'focus moved to the row');
    await page.keyboard.press('ArrowUp');
    assert.equal((await state(page)).selected, await nameAt(0));

    // Enter on parseCatalog's row: the line of parseCatalog holding most samples (outermost call per stack).
    const byLine = new Map<number, number>();
    for (const st of stacks) {
      const f = st.stack.find((x) => x.name === PARSE);
      if (f) byLine.set(f.line!, (byLine.get(f.line!) ?? 0) + st.value);
    }
    const [line] = heaviest(byLine);
    const parseRow = page.locator('#function-table tbody tr', { hasText: PARSE });
    await parseRow.click();
    await page.keyboard.press('Enter');
    const opens = async () => (await posted(page)).filter((m) => m.type === 'openSource');
    let o = await opens();
    assert.equal(o.length, 1);
    assert.equal(profile.frames[o[0].frameId as number].name, PARSE);
    assert.equal(profile.frames[o[0].frameId as number].line, line);
    await rows.nth(1).dblclick();
    o = await opens();
    assert.equal(o.length, 2);
    assert.equal(profile.frames[o[1].frameId as number].name, second);
    await page.close();
  });

  test('sandwich keyboard: arrows move in callers and callees, Enter zooms, O opens the source, Escape resets then closes', async () => {
    const page = await openPage();
    await loadProfile(page);
    const r = (await rectOf(page, PARSE))!;
    await page.mouse.click(r.x + 2, r.y + r.h / 2);
    await page.locator('#flamegraph').focus();
    await page.keyboard.press('s');
    await frame();
    assert.equal((await state(page)).sandwich, PARSE);
    const [callee, calleeSamples] = heaviest(neighbourSums(PARSE, 1));
    const [caller] = heaviest(neighbourSums(PARSE, -1));

    await page.locator('#sandwich-callees').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal((await state(page)).sandwichSelected?.callees, PARSE, 'first the function itself');
    await page.keyboard.press('ArrowDown');
    let s = await state(page);
    assert.equal(s.sandwichSelected?.callees, callee, 'then its heaviest callee');
    assert.equal(s.sandwichSelected?.calleesSpan, parseSamples);
    await page.keyboard.press('Enter');
    await frame();
    assert.equal((await state(page)).sandwichSelected?.calleesSpan, calleeSamples, 'Enter zooms to the callee');
    await shot(page, 'sandwich-keyboard');
    await page.keyboard.press('o');
    const o = (await posted(page)).filter((m) => m.type === 'openSource');
    assert.equal(o.length, 1);
    assert.equal(profile.frames[o[0].frameId as number].name, callee);
    await page.keyboard.press('Escape');
    s = await state(page);
    assert.equal(s.sandwichSelected?.calleesSpan, parseSamples, 'Escape resets the zoom');
    assert.equal(s.sandwich, PARSE);

    // Callers grow upwards: Up reaches the function, then its heaviest caller.
    await page.locator('#sandwich-callers').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal((await state(page)).sandwichSelected?.callers, caller);
    await page.keyboard.press('Escape');
    s = await state(page);
    assert.equal(s.sandwich, undefined, 'Escape at full view closes the sandwich');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'flamegraph');
    await page.close();
  });

  test('large profile: table rows come in slices after the first frame, a wheel meanwhile is drawn before the next slice, a newer profile cancels the rest', async () => {
    const big = toFlameData(buildLargeProfile(60_000, (p) => toFlameData(p, []).parent.length), []);
    assert.ok(big.parent.length > 50_000);
    const page = await openPage('dark');
    await page.setViewportSize({ width: 1400, height: 800 });
    // Recorded in the page: each batch of row insertions (one per task that appended rows), each slice,
    // and the wheel that arrives while the table is still incomplete, then the draw that follows it.
    await page.evaluate(() => {
      const w = window as any;
      w.__rowBatches = 0;
      new MutationObserver(() => w.__rowBatches++).observe(document.querySelector('#function-table tbody')!, { childList: true });
      w.__flamegraphTest.slices.trace = [];
    });
    await postToWebview(page, { type: 'profile', data: big, title: 'big' });
    const r = await page.evaluate(
      () =>
        new Promise<{ firstDrawAt: number; tableAtFirstDraw: number; rowsAtWheel: number; wheelAt: number; wheelDrawnAt: number; slicesBetween: number }>((resolve) => {
          const w = window as any;
          const t = w.__flamegraphTest.timings;
          const canvas = document.getElementById('flamegraph')!;
          const rows = () => document.querySelectorAll('#function-table tbody tr').length;
          let firstDrawAt = 0;
          let tableAtFirstDraw = -1;
          const waitFirst = () => {
            if (!(t.drawnAt > 0)) return requestAnimationFrame(waitFirst);
            firstDrawAt = t.drawnAt;
            tableAtFirstDraw = t.tableAt;
            waitRows();
          };
          // Once some rows are in but not all: a wheel over the graph, as a user would during the slices.
          const waitRows = () => {
            const n = rows();
            if (n === 0 || (t.tableAt > 0 && n > 0)) return n > 0 && t.tableAt > 0 ? resolve({ firstDrawAt, tableAtFirstDraw, rowsAtWheel: -1, wheelAt: 0, wheelDrawnAt: 0, slicesBetween: 0 }) : setTimeout(waitRows, 0);
            const b = canvas.getBoundingClientRect();
            const wheelAt = performance.now();
            canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -240, clientX: b.left + b.width / 2, clientY: b.top + 50, bubbles: true, cancelable: true }));
            const waitDraw = () => {
              if (!(t.drawnAt > wheelAt)) return requestAnimationFrame(waitDraw);
              const between = (w.__flamegraphTest.slices.trace as Array<[number, number, string]>).filter(([s0]) => s0 > wheelAt && s0 < t.drawnAt).length;
              resolve({ firstDrawAt, tableAtFirstDraw, rowsAtWheel: n, wheelAt, wheelDrawnAt: t.drawnAt, slicesBetween: between });
            };
            waitDraw();
          };
          waitFirst();
        }),
    );
    assert.equal(r.tableAtFirstDraw, 0, 'the table is not built before the first frame');
    assert.ok(r.rowsAtWheel > 0, 'the wheel came while the table was incomplete');
    assert.equal(r.slicesBetween, 0, `no slice ran between the wheel and its frame (${r.slicesBetween})`);
    await page.waitForFunction(() => (window as any).__flamegraphTest.timings.tableAt > 0);
    const rowCount = await page.locator('#function-table tbody tr').count();
    const batches = await page.evaluate(() => (window as any).__rowBatches);
    assert.ok(batches >= 3, `rows were inserted in ${batches} tasks`);
    assert.equal(rowCount, 300);
    const st = await state(page);
    assert.ok(st.view.x1 - st.view.x0 < big.total[0] * 0.9, 'the wheel zoomed');

    // A newer profile while the old one's table is being built (posted from the page as soon as the old
    // one's first rows are in): only the new one's functions end up in the table.
    await page.evaluate(
      ({ bigData, smallData }) => {
        const w = window as any;
        w.__flamegraphTest.timings.tableAt = 0;
        const body = document.querySelector('#function-table tbody') as HTMLTableSectionElement;
        let sent = false;
        // Rows inserted after the switch: only the new table's (the old job must stop, not finish first).
        w.__rowsAddedAfterSwitch = 0;
        const mo = new MutationObserver((records) => {
          if (sent) {
            for (const rec of records) w.__rowsAddedAfterSwitch += rec.addedNodes.length;
            return;
          }
          sent = true;
          w.__rowsWhenSwitched = body.rows.length;
          window.postMessage({ type: 'profile', data: smallData, title: 'go-cpu.pb.gz' }, '*');
        });
        mo.observe(body, { childList: true });
        window.postMessage({ type: 'profile', data: bigData, title: 'big again' }, '*');
      },
      { bigData: big, smallData: data },
    );
    await page.waitForFunction(() => (window as any).__flamegraphTest.timings.tableAt > 0);
    await frame();
    await frame();
    const names = await page.locator('#function-table tbody tr td:first-child').allInnerTexts();
    const small = new Set(data.frames.map((f) => f.name));
    assert.ok(names.length > 10);
    assert.deepEqual(names.filter((n) => !small.has(n)), [], 'rows of the old profile left in the table');
    assert.ok((await page.evaluate(() => (window as any).__rowsWhenSwitched)) < 300, 'the switch came while the old table was incomplete');
    assert.equal(await page.evaluate(() => (window as any).__rowsAddedAfterSwitch), names.length, 'rows inserted after the switch: the new table only');
    assert.equal(names.length, Math.min(300, new Set(Array.from(data.frame.slice(1), (f) => data.frames[f].name)).size));
    await page.close();
  });

  test('narrow panel (520 px, an editor split beside it): the graph keeps the width, the table moves below and is reachable by keyboard', async () => {
    const page = await openPage('dark');
    await page.setViewportSize({ width: 520, height: 700 });
    await loadProfile(page);
    await page.waitForFunction(() => (window as any).__flamegraphTest.timings.tableAt > 0);
    const box = async (sel: string) => (await page.locator(sel).boundingBox())!;
    const graph = await box('#flamegraph');
    const pane = await box('#table-pane');
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    assert.ok(graph.width / width > 0.95, `graph canvas is ${graph.width} of ${width} px`);
    assert.ok(pane.y >= graph.y + graph.height - 1, `table (top ${pane.y}) is below the graph (bottom ${graph.y + graph.height})`);
    assert.ok(pane.height >= 100 && pane.width / width > 0.95, `table pane ${pane.width}x${pane.height}`);
    assert.ok(graph.height >= 250, `graph is ${graph.height} px high`);
    // The names have room: the first row's name is not cut.
    const cut = await page.evaluate(() => {
      const td = document.querySelector('#function-table tbody tr td') as HTMLElement;
      return td.scrollWidth > td.clientWidth;
    });
    assert.equal(cut, false, 'the first row name is truncated');
    // Keyboard: from the graph, Tab reaches a table row; arrows then move through the rows.
    await page.locator('#flamegraph').focus();
    let inTable = false;
    for (let i = 0; i < 6 && !inTable; i++) {
      await page.keyboard.press('Tab');
      inTable = await page.evaluate(() => document.activeElement?.closest('#function-table tbody tr') != null);
    }
    assert.ok(inTable, 'Tab from the graph reaches the functions table');
    const first = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.fn);
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.fn);
    assert.notEqual(second, first);
    assert.equal((await state(page)).tableSelected !== undefined, true);
    await shot(page, 'narrow-panel', 'body');
    // Wide again: the table is beside the graph.
    await page.setViewportSize({ width: 1280, height: 700 });
    await frame();
    const wideGraph = await box('#flamegraph');
    const widePane = await box('#table-pane');
    assert.ok(widePane.x >= wideGraph.x + wideGraph.width - 1, 'wide: table beside the graph');
    await page.close();
  });

  test('no Content-Security-Policy violations or page errors', () => {
    assert.deepEqual(cspErrors, []);
  });
});
