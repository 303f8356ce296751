// The flamegraph webview: receives the profile from the host, draws it, and turns user gestures into
// zoom / pan / search / sandwich / compare / export, and "open source" requests back to the host.
// View settings live in webview state (vscode.setState) so they survive the panel being hidden or reloaded.
import { describeMessage, parseHostMessage, type FlameData, type HostMessage, type WebviewMessage, type FlameFrameKind } from './protocol';
import { FlameTree } from './flameTree';
import { centreOn, clampView, focusRange, fullView, panBy, zoomAt, type Viewport } from './viewport';
import { FlameRenderer, ROW_HEIGHT, type Orientation, type RenderState } from './renderer';
import { Minimap } from './minimap';
import { readPalette, KIND_STYLES, type Palette } from './palette';
import { compileQuery, functionStatsSteps, neighbour, search, type SearchResult } from './analysis';
import { SliceRunner } from './slices';
import { calleesOf, callersOf } from './sandwich';
import { diffTrees, type DiffResult } from './diffTree';
import { FunctionTable, countText, percentText, type SortKey } from './functionTable';
import { buildToolbar } from './toolbar';
import { viewToSvg } from './exportSvg';
import { renderHelp } from './help';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives hiding and reloads. The data itself is re-sent by the host on 'ready'. */
interface SavedState {
  title?: string;
  view?: { f0: number; f1: number; scrollY: number };
  orientation?: Orientation;
  query?: string;
  caseSensitive?: boolean;
  regex?: boolean;
  selectedPath?: string[];
  sandwichFn?: string;
  sort?: { key: SortKey; descending: boolean };
}

const vscode = acquireVsCodeApi();
const post = (m: WebviewMessage) => vscode.postMessage(m);
const log = (level: 'info' | 'warn' | 'error', text: string) => post({ type: 'log', level, text });

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('flamegraph');
const tooltip = $<HTMLDivElement>('tooltip');
const legend = $<HTMLDivElement>('legend');
const status = $<HTMLDivElement>('status');
const menu = $<HTMLDivElement>('context-menu');
const sandwichBox = $<HTMLDivElement>('sandwich');
const renderer = new FlameRenderer(canvas);
const minimap = new Minimap($<HTMLCanvasElement>('minimap'));
const callersRenderer = new FlameRenderer($<HTMLCanvasElement>('sandwich-callers'));
const calleesRenderer = new FlameRenderer($<HTMLCanvasElement>('sandwich-callees'));
const toolbar = buildToolbar($<HTMLElement>('toolbar-controls'));
// The work after the first frame (function counts, table rows) runs in slices of a few ms between frames:
// input and pan/zoom frames are handled while it goes on, and a newer profile cancels it.
const slices = new SliceRunner(5);
slices.holdWhile = () => drawPending;
slices.onError = (e) => {
  const text = e instanceof Error ? e.message : String(e);
  showStatus(`Could not build the functions table: ${text}`, true);
  log('error', text);
};
const table = new FunctionTable($<HTMLTableElement>('function-table'), (fn) => selectFunction(fn), (fn) => openFunctionSource(fn), slices);
const helpBox = $<HTMLDivElement>('shortcuts');

const saved: SavedState = (vscode.getState() as SavedState | undefined) ?? {};

let tree: FlameTree | undefined;
let title = '';
let diff: DiffResult | undefined;
let baselineTitle: string | undefined;
let palette: Palette = readTheme();
let view: Viewport = { x0: 0, x1: 1, scrollY: 0 };
let orientation: Orientation = saved.orientation ?? 'icicle';
let selected = -1;
let hovered = -1;
let found: SearchResult | undefined;
let sandwichFn = -1;
/** The two sandwich canvases: tree, view and keyboard selection of each. */
interface SandwichPane {
  tree: FlameTree;
  view: Viewport;
  selected: number;
}
let sandwich: { callers: SandwichPane; callees: SandwichPane } | undefined;
let drawPending = false;
let lastStats = { drawn: 0, merged: 0, ms: 0 };
const timings = { messageAt: 0, receivedAt: 0, drawnAt: 0, minimapAt: 0, tableAt: 0, phases: {} as Record<string, number> };
let phaseStart = 0;
/** Records how long the step that just ended took (shown by the benchmark). */
function phase(name: string): void {
  const now = performance.now();
  timings.phases[name] = now - phaseStart;
  phaseStart = now;
}
/** Duration of each draw (ms), for the benchmark. */
const drawTimes: number[] = [];
let dataKey = 0;

if (saved.query) toolbar.search.value = saved.query;
toolbar.caseToggle.checked = saved.caseSensitive ?? false;
toolbar.regexToggle.checked = saved.regex ?? true;
if (saved.sort) table.setSort(saved.sort.key, saved.sort.descending);
updateOrientationButton();

function readTheme(): Palette {
  const cs = getComputedStyle(document.body);
  return readPalette((n) => cs.getPropertyValue(n).trim(), Array.from(document.body.classList));
}

function saveState(): void {
  if (!tree) return;
  const t = tree.totalValue;
  const s: SavedState = {
    title,
    view: { f0: view.x0 / t, f1: view.x1 / t, scrollY: view.scrollY },
    orientation,
    query: toolbar.search.value,
    caseSensitive: toolbar.caseToggle.checked,
    regex: toolbar.regexToggle.checked,
    selectedPath: selected > 0 ? tree.pathOf(selected) : undefined,
    sandwichFn: sandwichFn >= 0 ? tree.fnNames[sandwichFn] : undefined,
    sort: table.sort,
  };
  vscode.setState(s);
}

function renderState(): RenderState | undefined {
  if (!tree) return undefined;
  // Every bar of the selected function is outlined too (it may be called from several places).
  const highlightFn = selected > 0 ? tree.fn[selected] : -1;
  return { tree, view, orientation, palette, selected, hovered, matches: found?.matches, diff, highlightFn };
}

function clamp(): void {
  if (!tree) return;
  view = clampView(view, tree.totalValue, renderer.contentHeight(tree) + ROW_HEIGHT, renderer.size.height);
}

/** Draws the graph and, unless `mainOnly` (first paint of new data), the minimap. */
function draw(mainOnly = false): void {
  // A draw now makes a scheduled one redundant (and the first paint must not pay for a second draw).
  if (drawPending) cancelAnimationFrame(drawRequest);
  drawPending = false;
  const s = renderState();
  if (!s || !tree) return;
  const t0 = performance.now();
  if (sandwich) drawSandwich();
  else {
    renderer.size.resize();
    clamp();
    const st = renderer.draw({ ...s, view });
    lastStats = { ...st, ms: performance.now() - t0 };
  }
  if (drawTimes.length < 10_000) drawTimes.push(performance.now() - t0);
  timings.drawnAt = performance.now();
  if (!mainOnly) drawMinimap();
}

function drawMinimap(): void {
  if (!tree) return;
  minimap.size.resize();
  const rows = sandwich ? { top: 0, bottom: Infinity } : { top: view.scrollY / ROW_HEIGHT, bottom: (view.scrollY + renderer.size.height) / ROW_HEIGHT };
  minimap.draw(tree, view, palette, orientation === 'flame', `${dataKey}|${palette.dark}|${diff ? 'diff' : ''}`, rows, diff ? (i) => renderer.fillOf(i, renderState()!) : undefined);
}

let drawRequest = 0;
/** Coalesces every change (wheel, drag, hover) until the next animation frame: one draw per frame. */
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  drawRequest = requestAnimationFrame(() => draw());
}

// ---- data ----

function receive(m: HostMessage): void {
  switch (m.type) {
    case 'notice':
      showStatus(m.text);
      if (!tree) document.body.classList.add('empty');
      return;
    case 'result':
      showStatus(m.text, !m.ok);
      return;
    case 'profile':
      loadProfile(m.data, m.title, m.baseline, m.baselineTitle, m.focusFunction);
      return;
    case 'selectFunction':
      highlightFunction(m.name);
      return;
  }
}

function loadProfile(data: FlameData, newTitle: string, baseline?: FlameData, baseTitle?: string, focus?: string): void {
  // The old profile's remaining table work is void now.
  slices.cancel('load');
  slices.cancel('table');
  const prev = tree;
  const prevSelectedPath = selected > 0 && prev ? prev.pathOf(selected) : saved.selectedPath;
  tree = new FlameTree(data);
  phase('tree');
  dataKey++;
  diff = baseline ? diffTrees(tree, new FlameTree(baseline)) : undefined;
  baselineTitle = baseTitle;
  document.body.classList.remove('empty');
  document.body.classList.toggle('diff', diff !== undefined);
  $('title').textContent = baseline ? `${newTitle} vs ${baseTitle ?? 'baseline'}` : newTitle;
  const t = tree.totalValue;
  if (prev) {
    // Live refresh: keep the same fraction of the graph in view.
    const pt = prev.totalValue;
    view = { x0: (view.x0 / pt) * t, x1: (view.x1 / pt) * t, scrollY: view.scrollY };
  } else if (saved.view && saved.title === newTitle) {
    view = { x0: saved.view.f0 * t, x1: saved.view.f1 * t, scrollY: saved.view.scrollY };
  } else view = fullView(t);
  title = newTitle;
  selected = prevSelectedPath ? tree.findPath(prevSelectedPath) : -1;
  if (selected === 0 && !prevSelectedPath?.length) selected = -1;
  hovered = -1;
  runSearch();
  renderLegend();
  const wantSandwich = sandwich ? tree.fnNames[sandwichFn] : !prev ? saved.sandwichFn : undefined;
  sandwich = undefined;
  sandwichFn = -1;
  if (wantSandwich) {
    const fn = tree.fnNames.indexOf(wantSandwich);
    if (fn >= 0) openSandwich(fn);
  }
  if (focus) focusFunction(focus);
  if (diff) showStatus(`Red grew, blue shrank vs ${baseTitle ?? 'baseline'} (shares of each profile's total).${diff.removedValue > 0 ? ` ${percentText(diff.removedValue, t)} of the baseline is on paths gone now.` : ''}`);
  // The legend and title just changed and may have resized the graph: read its size now (the layout is
  // due for this frame anyway), or the first frame is drawn at the old size and drawn again at the new one.
  renderer.size.markResized();
  renderer.size.resize();
  phase('misc');
  draw(true);
  phase('draw');
  saveState();
  // The minimap and the table follow once the first frame is on screen, in slices between frames: the
  // graph is what the user waits for, and it must answer input meanwhile. (Work started from inside
  // requestAnimationFrame is posted as a new task, so it runs after that frame is painted.)
  const shown = tree;
  requestAnimationFrame(() => {
    if (tree === shown) slices.run('load', afterFirstFrame(shown));
  });
}

/** Minimap, then function counts and the table rows (the table renders its rows in its own sliced job). */
function* afterFirstFrame(shown: FlameTree): Generator<void> {
  drawMinimap();
  timings.minimapAt = performance.now();
  yield;
  const stats = yield* functionStatsSteps(shown);
  table.onRendered = () => {
    if (tree !== shown) return;
    table.onRendered = () => {};
    timings.tableAt = performance.now();
  };
  table.setData(stats, shown.totalValue);
  if (selected > 0) {
    table.select(shown.fn[selected]);
    table.reveal(shown.fn[selected]);
  }
}

/** The editor cursor entered a hot function: select its widest node and its table row, no zoom, no source. */
function highlightFunction(name: string): void {
  if (!tree) return;
  const fn = tree.fnId(name);
  if (fn < 0) return;
  // A frame of this function is already selected (the user double-clicked it and the editor followed):
  // keep that one rather than jumping to the widest.
  const node = selected > 0 && tree.fn[selected] === fn ? selected : tree.widestNodeOfFn(fn);
  if (node < 0) return;
  select(node);
  table.reveal(fn);
}

function focusFunction(name: string): void {
  if (!tree) return;
  const node = tree.widestNodeNamed(name);
  if (node < 0) {
    showStatus(`${name} is not in this profile.`);
    return;
  }
  select(node);
  zoomTo(node);
}

// ---- selection, zoom, source ----

function select(node: number): void {
  if (!tree) return;
  selected = node;
  table.select(node > 0 ? tree.fn[node] : -1);
  ensureVisible(node);
  scheduleDraw();
  saveState();
  announce(node);
}

function announce(node: number): void {
  if (!tree || node < 0) return;
  const f = tree.frameOf(node);
  canvas.setAttribute('aria-label', `${tree.name(node)}: ${percentText(tree.total[node], tree.totalValue)} total, ${percentText(tree.self[node], tree.totalValue)} self${f?.location ? `, ${f.location}` : ''}`);
}

function ensureVisible(node: number): void {
  if (!tree) return;
  const top = tree.depth[node] * ROW_HEIGHT;
  const h = renderer.size.height;
  if (top < view.scrollY) view = { ...view, scrollY: top };
  else if (top + ROW_HEIGHT > view.scrollY + h) view = { ...view, scrollY: top + ROW_HEIGHT - h };
  const x0 = tree.start[node];
  const x1 = x0 + tree.total[node];
  if (x1 < view.x0 || x0 > view.x1) view = centreOn(view, (x0 + x1) / 2);
}

function zoomTo(node: number): void {
  if (!tree) return;
  if (node <= 0) {
    resetZoom();
    return;
  }
  view = focusRange(view, tree.start[node], tree.total[node]);
  ensureVisible(node);
  scheduleDraw();
  saveState();
}

/** Moves the view so the node sits in the middle (both ways), keeping the zoom level. */
function centreNode(node: number): void {
  if (!tree || node < 0) return;
  view = centreOn(view, tree.start[node] + tree.total[node] / 2);
  const rowCentre = tree.depth[node] * ROW_HEIGHT + ROW_HEIGHT / 2;
  // scrollY counts pixels toward the leaves in both orientations, so the same formula centres the row.
  view = { ...view, scrollY: rowCentre - renderer.size.height / 2 };
  clamp();
  scheduleDraw();
  saveState();
}

function resetZoom(): void {
  if (!tree) return;
  view = fullView(tree.totalValue);
  scheduleDraw();
  saveState();
}

function openSource(node: number): void {
  if (!tree || node <= 0) {
    showStatus('Select a frame first (click it or use the arrow keys).');
    return;
  }
  post({ type: 'openSource', frameId: tree.frame[node] });
}

function copyStack(node: number): void {
  if (!tree || node <= 0) return;
  post({ type: 'copyText', text: tree.stackText(node) });
}

// ---- search ----

function runSearch(): void {
  if (!tree) return;
  const { re, error } = compileQuery({ text: toolbar.search.value, caseSensitive: toolbar.caseToggle.checked, regex: toolbar.regexToggle.checked });
  toolbar.search.classList.toggle('invalid', error !== undefined);
  if (error) {
    found = undefined;
    toolbar.matchInfo.textContent = 'invalid regex';
    toolbar.matchInfo.title = error;
  } else if (!re) {
    found = undefined;
    toolbar.matchInfo.textContent = '';
  } else {
    found = search(tree, re);
    const share = percentText(found.matchedValue, tree.totalValue);
    toolbar.matchInfo.textContent = found.matchedNodes ? `${share} matched` : 'no match';
    toolbar.matchInfo.title = `${found.matchedNodes} frames match; stacks containing a match hold ${share} of all samples (each stack counted once).`;
  }
  toolbar.matchInfo.dataset.share = found ? String(found.matchedValue / tree.totalValue) : '';
  scheduleDraw();
  saveState();
}

// ---- sandwich ----

/** A table row was chosen: the graph selects and zooms to the function's widest frame (or re-centres the sandwich on it). */
function selectFunction(fn: number): void {
  if (!tree || fn < 0) return;
  if (sandwich) {
    openSandwich(fn);
    return;
  }
  const node = tree.widestNodeOfFn(fn);
  if (node < 0) return;
  select(node);
  zoomTo(node);
}

/** Enter / double-click on a table row: the source of the function's heaviest frame. */
function openFunctionSource(fn: number): void {
  if (!tree) return;
  const frameId = tree.heaviestFrameOfFn(fn);
  if (frameId >= 0) post({ type: 'openSource', frameId });
}

function openSandwich(fn: number): void {
  if (!tree || fn < 0) return;
  sandwichFn = fn;
  const callers = new FlameTree(callersOf(tree, fn));
  const callees = new FlameTree(calleesOf(tree, fn));
  sandwich = {
    callers: { tree: callers, view: fullView(callers.totalValue), selected: -1 },
    callees: { tree: callees, view: fullView(callees.totalValue), selected: -1 },
  };
  table.select(fn);
  canvas.hidden = true;
  sandwichBox.hidden = false;
  $('sandwich-callers-label').textContent = `Callers of ${tree.fnNames[fn]}`;
  $('sandwich-callees-label').textContent = `Callees of ${tree.fnNames[fn]}`;
  toolbar.buttons['sandwich-toggle'].classList.add('active');
  scheduleDraw();
  saveState();
}

function closeSandwich(): void {
  sandwich = undefined;
  sandwichFn = -1;
  canvas.hidden = false;
  sandwichBox.hidden = true;
  toolbar.buttons['sandwich-toggle'].classList.remove('active');
  scheduleDraw();
  saveState();
}

function sandwichState(which: 'callers' | 'callees'): RenderState | undefined {
  if (!sandwich) return undefined;
  const pane = sandwich[which];
  return { tree: pane.tree, view: pane.view, orientation: which === 'callers' ? 'flame' : 'icicle', palette, selected: pane.selected, hovered: -1 };
}

function drawSandwich(): void {
  for (const [r, which] of [[callersRenderer, 'callers'], [calleesRenderer, 'callees']] as const) {
    r.size.resize();
    const s = sandwichState(which);
    if (s) r.draw(s);
  }
}

// ---- pointer ----

type Drag = { x: number; y: number; moved: boolean; id: number };
let drag: Drag | undefined;

function local(e: MouseEvent, el: HTMLElement): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  return { x: e.clientX - r.left, y: e.clientY - r.top };
}

canvas.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  canvas.focus();
  drag = { ...local(e, canvas), moved: false, id: e.pointerId };
  canvas.setPointerCapture(e.pointerId);
});

canvas.addEventListener('pointermove', (e) => {
  const p = local(e, canvas);
  if (drag) {
    const dx = p.x - drag.x;
    const dy = p.y - drag.y;
    if (drag.moved || Math.abs(dx) + Math.abs(dy) > 4) {
      drag.moved = true;
      view = panBy(view, dx, orientation === 'icicle' ? dy : -dy, renderer.size.width);
      drag.x = p.x;
      drag.y = p.y;
      if (!tooltip.hidden) hideTooltip();
      if (!canvas.classList.contains('dragging')) canvas.classList.add('dragging');
      scheduleDraw();
      return;
    }
  }
  hover(p.x, p.y, e.clientX, e.clientY);
});

/** The last plain click, so the second click of a double-click can undo the first one's zoom. */
let lastClick: { time: number; x: number; y: number; node: number; viewBefore: Viewport } | undefined;
const DOUBLE_CLICK_MS = 500;

canvas.addEventListener('pointerup', (e) => {
  const d = drag;
  drag = undefined;
  canvas.classList.remove('dragging');
  if (!d || !tree) return;
  if (d.moved) {
    saveState();
    return;
  }
  const s = renderState()!;
  const p = local(e, canvas);
  // Ctrl/Cmd+click centres on the frame at the current zoom, as in Pixie's flamegraph.
  if (e.ctrlKey || e.metaKey) {
    const node = renderer.hit(p.x, p.y, s);
    if (node < 0) return;
    select(node);
    centreNode(node);
    return;
  }
  const prev = lastClick;
  if (prev && e.timeStamp - prev.time < DOUBLE_CLICK_MS && Math.abs(p.x - prev.x) + Math.abs(p.y - prev.y) < 6) {
    // Second click of a double-click: 'dblclick' opens the first click's frame; no second zoom.
    return;
  }
  const node = renderer.hit(p.x, p.y, s);
  lastClick = { time: e.timeStamp, x: p.x, y: p.y, node, viewBefore: view };
  if (node < 0) return;
  select(node);
  if (node === 0) resetZoom();
  else zoomTo(node);
});

// Double-click opens the frame's source beside the graph; the view goes back to where it was before the
// double-click's first click zoomed.
canvas.addEventListener('dblclick', (e) => {
  const c = lastClick;
  lastClick = undefined;
  if (!tree || !c || c.node <= 0 || e.ctrlKey || e.metaKey) return;
  view = c.viewBefore;
  clamp();
  scheduleDraw();
  saveState();
  select(c.node);
  openSource(c.node);
});

canvas.addEventListener('pointerleave', () => {
  hovered = -1;
  hideTooltip();
  scheduleDraw();
});

canvas.addEventListener(
  'wheel',
  (e) => {
    if (!tree) return;
    e.preventDefault();
    const p = local(e, canvas);
    if (e.shiftKey) view = { ...view, scrollY: view.scrollY + (orientation === 'icicle' ? e.deltaY : -e.deltaY) };
    else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) view = panBy(view, -e.deltaX, 0, renderer.size.width);
    else {
      // Pinch on trackpads arrives as ctrl+wheel with small deltas: zoom faster.
      const k = e.ctrlKey ? 0.01 : 0.0015;
      view = zoomAt(view, p.x / renderer.size.width, Math.exp(-e.deltaY * k));
    }
    if (!tooltip.hidden) hideTooltip();
    scheduleDraw();
    saveStateSoon();
  },
  { passive: false },
);

let saveTimer: number | undefined;
function saveStateSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = window.setTimeout(saveState, 200);
}

canvas.addEventListener('contextmenu', (e) => {
  e.preventDefault();
  if (!tree) return;
  const p = local(e, canvas);
  const node = renderer.hit(p.x, p.y, renderState()!);
  if (node < 0) return;
  select(node);
  showMenu(e.clientX, e.clientY, node);
});

// ---- tooltip ----

function hover(x: number, y: number, clientX: number, clientY: number): void {
  const s = renderState();
  if (!s || !tree) return;
  const node = renderer.hit(x, y, s);
  if (node !== hovered) {
    hovered = node;
    scheduleDraw();
  }
  if (node < 0) {
    hideTooltip();
    return;
  }
  showTooltip(tree, node, clientX, clientY, diff);
}

function showTooltip(t: FlameTree, node: number, clientX: number, clientY: number, d?: DiffResult): void {
  const f = t.frameOf(node);
  const all = t.totalValue;
  const rows: Array<[string, string]> = [];
  const where = f?.location ?? (f?.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : undefined);
  if (where) rows.push(['Source', where]);
  if (f) rows.push(['Kind', KIND_STYLES[f.kind].label]);
  rows.push(['Total', `${countText(t.total[node])} ${t.unit} (${percentText(t.total[node], all)})`]);
  rows.push(['Self', `${countText(t.self[node])} ${t.unit} (${percentText(t.self[node], all)})`]);
  if (d && t === tree) {
    const before = d.baseTotal[node];
    const delta = d.deltaShare[node] * 100;
    rows.push(['Baseline', `${percentText(before, all)} of ${baselineTitle ?? 'baseline'}`]);
    rows.push(['Change', `${delta >= 0 ? '+' : ''}${delta.toFixed(2)} points of total`]);
  }
  const head = document.createElement('div');
  head.className = 'tt-name';
  head.textContent = t.name(node);
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  const hint = document.createElement('div');
  hint.className = 'tt-hint';
  hint.textContent = node === 0 ? 'Click to reset zoom' : 'Click to zoom · double-click or O to open source · Ctrl/Cmd+click to centre';
  tooltip.replaceChildren(head, dl, hint);
  tooltip.hidden = false;
  const pad = 14;
  const w = tooltip.offsetWidth;
  const h = tooltip.offsetHeight;
  const x = clientX + pad + w > window.innerWidth ? Math.max(0, clientX - pad - w) : clientX + pad;
  const y = clientY + pad + h > window.innerHeight ? Math.max(0, clientY - pad - h) : clientY + pad;
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}

function hideTooltip(): void {
  tooltip.hidden = true;
}

// ---- context menu ----

function showMenu(x: number, y: number, node: number): void {
  const items: Array<[string, () => void]> = [
    [node === 0 ? 'Reset zoom' : 'Zoom to frame', () => zoomTo(node)],
    ['Open source', () => openSource(node)],
    ['Copy stack', () => copyStack(node)],
    ['Show callers and callees', () => tree && node > 0 && openSandwich(tree.fn[node])],
    ['Search this function', () => tree && setSearch(`^${escapeRegex(tree.name(node))}$`)],
  ];
  menu.replaceChildren(
    ...items.map(([label, act]) => {
      const b = document.createElement('button');
      b.setAttribute('role', 'menuitem');
      b.textContent = label;
      b.addEventListener('click', () => {
        hideMenu();
        act();
      });
      return b;
    }),
  );
  menu.hidden = false;
  menu.style.left = `${Math.min(x, window.innerWidth - menu.offsetWidth - 4)}px`;
  menu.style.top = `${Math.min(y, window.innerHeight - menu.offsetHeight - 4)}px`;
  (menu.firstElementChild as HTMLElement | null)?.focus();
}

function hideMenu(): void {
  menu.hidden = true;
}
document.addEventListener('pointerdown', (e) => {
  if (!menu.hidden && !menu.contains(e.target as Node)) hideMenu();
});
menu.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    hideMenu();
    canvas.focus();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    const items = Array.from(menu.querySelectorAll('button'));
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    e.preventDefault();
  }
});

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function setSearch(text: string): void {
  toolbar.search.value = text;
  toolbar.regexToggle.checked = true;
  runSearch();
}

// ---- keyboard ----

canvas.addEventListener('keydown', (e) => {
  if (!tree) return;
  const cur = selected >= 0 ? selected : 0;
  const flip = orientation === 'flame';
  let handled = true;
  switch (e.key) {
    case 'ArrowUp':
      select(neighbour(tree, cur, flip ? 'down' : 'up'));
      break;
    case 'ArrowDown':
      select(neighbour(tree, cur, flip ? 'up' : 'down'));
      break;
    case 'ArrowLeft':
      select(neighbour(tree, cur, 'left'));
      break;
    case 'ArrowRight':
      select(neighbour(tree, cur, 'right'));
      break;
    case 'Enter':
      if (e.ctrlKey || e.metaKey) openSource(cur);
      else zoomTo(cur);
      break;
    case 'Escape':
      resetZoom();
      break;
    case 'o':
    case 'O':
      openSource(cur);
      break;
    case 'c':
    case 'C':
      centreNode(cur);
      break;
    case '?':
      toggleHelp();
      break;
    case 's':
    case 'S':
      if (sandwich) closeSandwich();
      else if (cur > 0) openSandwich(tree.fn[cur]);
      break;
    case 'ContextMenu': {
      const r = renderer.nodeRect(cur, renderState()!);
      const b = canvas.getBoundingClientRect();
      showMenu(b.left + (r ? Math.max(r.x, 0) + 10 : 10), b.top + (r ? r.y + ROW_HEIGHT : 10), cur);
      break;
    }
    case '/':
      toolbar.search.focus();
      break;
    case '+':
    case '=':
      view = zoomAt(view, 0.5, 1.5);
      scheduleDraw();
      break;
    case '-':
      view = zoomAt(view, 0.5, 1 / 1.5);
      scheduleDraw();
      break;
    default:
      handled = false;
  }
  if (handled) e.preventDefault();
});

// ---- minimap ----

let minimapDrag = false;
/** Centres the main view on the minimap point: horizontally always, vertically when the graph is deeper than the view. */
function minimapMove(e: PointerEvent): void {
  if (!tree || sandwich) return;
  const p = local(e, minimap.canvas);
  view = centreOn(view, minimap.valueAt(p.x, tree));
  const depth = minimap.depthAt(p.y, tree, orientation === 'flame');
  view = { ...view, scrollY: depth * ROW_HEIGHT - renderer.size.height / 2 };
  clamp();
  scheduleDraw();
}
minimap.canvas.addEventListener('pointerdown', (e) => {
  if (!tree) return;
  minimapDrag = true;
  minimap.canvas.setPointerCapture(e.pointerId);
  minimapMove(e);
});
minimap.canvas.addEventListener('pointermove', (e) => {
  if (minimapDrag) minimapMove(e);
});
minimap.canvas.addEventListener('pointerup', () => {
  minimapDrag = false;
  saveState();
});

// ---- sandwich canvases ----

for (const [r, which] of [[callersRenderer, 'callers'], [calleesRenderer, 'callees']] as const) {
  r.canvas.addEventListener('pointermove', (e) => {
    const s = sandwichState(which);
    if (!s) return;
    const p = local(e, r.canvas);
    const node = r.hit(p.x, p.y, s);
    if (node < 0) hideTooltip();
    else showTooltip(s.tree, node, e.clientX, e.clientY);
  });
  r.canvas.addEventListener('pointerleave', hideTooltip);
  r.canvas.addEventListener('click', (e) => {
    const s = sandwichState(which);
    if (!s || !tree) return;
    const p = local(e, r.canvas);
    const node = r.hit(p.x, p.y, s);
    if (node <= 0) return;
    const pane = sandwich![which];
    if (e.ctrlKey || e.metaKey) {
      // Centre, as in the main view.
      pane.selected = node;
      pane.view = centreOn(pane.view, s.tree.start[node] + s.tree.total[node] / 2);
      scheduleDraw();
      return;
    }
    if (e.detail >= 2) return; // The second click of a double-click: 'dblclick' opens the source.
    const fn = tree.fnNames.indexOf(s.tree.name(node));
    if (fn >= 0) openSandwich(fn);
  });
  // Double-click opens the function's source: its first click made that function the sandwich's own, so
  // this is the sandwich function's heaviest frame (the same line a table row's double-click opens).
  r.canvas.addEventListener('dblclick', () => {
    if (sandwich && sandwichFn >= 0) openFunctionSource(sandwichFn);
  });
  // Keyboard as in the main view: arrows move, Enter zooms, Escape resets (then closes), O opens the source.
  r.canvas.addEventListener('keydown', (e) => {
    const pane = sandwich?.[which];
    if (!pane || !tree) return;
    const t = pane.tree;
    const cur = pane.selected >= 0 ? pane.selected : 0;
    // Callers grow upwards (flame): Up goes to the caller, i.e. a child in this inverted tree.
    const flip = which === 'callers';
    let handled = true;
    const move = (node: number) => {
      pane.selected = node;
      const f = t.frameOf(node);
      r.canvas.setAttribute('aria-label', `${which === 'callers' ? 'Caller' : 'Callee'} ${t.name(node)}: ${percentText(t.total[node], t.totalValue)}${f?.location ? `, ${f.location}` : ''}`);
      const x0 = t.start[node];
      if (x0 + t.total[node] < pane.view.x0 || x0 > pane.view.x1) pane.view = centreOn(pane.view, x0 + t.total[node] / 2);
      scheduleDraw();
    };
    switch (e.key) {
      case 'ArrowUp':
        move(neighbour(t, cur, flip ? 'down' : 'up'));
        break;
      case 'ArrowDown':
        move(neighbour(t, cur, flip ? 'up' : 'down'));
        break;
      case 'ArrowLeft':
        move(neighbour(t, cur, 'left'));
        break;
      case 'ArrowRight':
        move(neighbour(t, cur, 'right'));
        break;
      case 'Enter':
        if (e.ctrlKey || e.metaKey) {
          if (cur > 0) post({ type: 'openSource', frameId: t.frame[cur] });
        } else {
          pane.view = cur > 0 ? focusRange(pane.view, t.start[cur], t.total[cur]) : fullView(t.totalValue);
          scheduleDraw();
        }
        break;
      case 'o':
      case 'O':
        if (cur > 0) post({ type: 'openSource', frameId: t.frame[cur] });
        break;
      case 'Escape': {
        const full = fullView(t.totalValue);
        if (pane.view.x0 !== full.x0 || pane.view.x1 !== full.x1) {
          pane.view = full;
          scheduleDraw();
        } else {
          closeSandwich();
          canvas.focus();
        }
        break;
      }
      case 's':
      case 'S':
        closeSandwich();
        canvas.focus();
        break;
      case '?':
        toggleHelp();
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  });
}

// ---- toolbar ----

toolbar.search.addEventListener('input', runSearch);
toolbar.caseToggle.addEventListener('change', runSearch);
toolbar.regexToggle.addEventListener('change', runSearch);
toolbar.search.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Escape') {
    setSearch('');
    canvas.focus();
  } else if ((e as KeyboardEvent).key === 'Enter') canvas.focus();
});
const on = (id: keyof typeof toolbar.buttons, f: () => void) => toolbar.buttons[id].addEventListener('click', f);
on('reset', () => {
  if (sandwich) closeSandwich();
  resetZoom();
});
on('orientation', () => {
  orientation = orientation === 'icicle' ? 'flame' : 'icicle';
  updateOrientationButton();
  scheduleDraw();
  saveState();
});
on('sandwich-toggle', () => {
  if (sandwich) closeSandwich();
  else if (tree && selected > 0) openSandwich(tree.fn[selected]);
  else showStatus('Select a frame (or a row of the table) to see its callers and callees.');
});
on('open-source', () => openSource(selected));
on('copy-stack', () => copyStack(selected));
on('save-png', () => post({ type: 'saveImage', format: 'png', data: (sandwich ? calleesRenderer.canvas : canvas).toDataURL('image/png') }));
on('save-svg', () => {
  const s = renderState();
  if (!s || !tree) return;
  const t = tree;
  const rects = renderer.visibleRects({ ...s, hovered: -1, selected: -1 });
  post({ type: 'saveImage', format: 'svg', data: viewToSvg(rects, renderer.size.width, renderer.size.height, palette.background, palette.font, (n) => `${t.name(n)} (${percentText(t.total[n], t.totalValue)})`) });
});
on('export-profile', () => post({ type: 'command', command: 'exportProfile' }));
on('help', () => toggleHelp());
on('compare', () => post({ type: 'command', command: 'compareProfile' }));

function updateOrientationButton(): void {
  toolbar.buttons.orientation.textContent = orientation === 'icicle' ? 'Flame' : 'Icicle';
  toolbar.buttons.orientation.setAttribute('aria-pressed', String(orientation === 'flame'));
}

// ---- help ----

let helpReturnFocus: HTMLElement | undefined;
function toggleHelp(show = helpBox.hidden): void {
  if (show) {
    helpReturnFocus = (document.activeElement as HTMLElement | null) ?? undefined;
    renderHelp(helpBox);
    // Just below the ? button: the toolbar wraps to more lines in narrow panels, and a popover over the
    // button would swallow the click that closes it.
    const top = Math.round(toolbar.buttons.help.getBoundingClientRect().bottom + 4);
    helpBox.style.top = `${top}px`;
    helpBox.style.maxHeight = `calc(100% - ${top + 16}px)`;
    helpBox.hidden = false;
    helpBox.focus();
  } else {
    helpBox.hidden = true;
    (helpReturnFocus ?? canvas).focus();
  }
  toolbar.buttons.help.setAttribute('aria-expanded', String(show));
}
helpBox.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' || e.key === '?') {
    toggleHelp(false);
    e.preventDefault();
  }
});
document.addEventListener('pointerdown', (e) => {
  if (!helpBox.hidden && !helpBox.contains(e.target as Node) && !toolbar.buttons.help.contains(e.target as Node)) toggleHelp(false);
});

// ---- legend, status ----

function renderLegend(): void {
  const items: Array<[string, string, string?]> = [];
  if (diff) {
    items.push(['Grew', diffSwatch(1)], ['Shrank', diffSwatch(-1)], ['Unchanged', diffSwatch(0)]);
  } else {
    const present = new Set<FlameFrameKind>(tree ? tree.fnKinds : []);
    for (const [k, st] of Object.entries(KIND_STYLES) as Array<[FlameFrameKind, (typeof KIND_STYLES)[FlameFrameKind]]>) {
      if (present.has(k)) items.push([st.label, palette.kind[k].css, st.pattern]);
    }
    items.push(['Merged tiny frames', palette.merged]);
  }
  const hint = document.createElement('span');
  hint.className = 'legend-hint';
  hint.textContent = 'Click zooms · double-click opens source · Ctrl/Cmd+click centres · ? for all shortcuts';
  legend.replaceChildren(
    ...items.map(([label, colour, pattern]) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      const sw = document.createElement('span');
      sw.className = `swatch${pattern ? ` ${pattern}` : ''}`;
      sw.style.backgroundColor = colour;
      item.append(sw, document.createTextNode(label));
      return item;
    }),
    hint,
  );
}

function diffSwatch(sign: number): string {
  return sign > 0 ? `hsl(0 80% ${palette.dark ? 55 : 58}%)` : sign < 0 ? `hsl(215 80% ${palette.dark ? 58 : 55}%)` : palette.dark ? 'hsl(0 0% 42%)' : 'hsl(0 0% 82%)';
}

let statusTimer: number | undefined;
function showStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
  status.hidden = false;
  clearTimeout(statusTimer);
  if (tree) statusTimer = window.setTimeout(() => (status.hidden = true), 6000);
}

// ---- theme and size ----

// VS Code changes the theme through body's vscode-* classes and theme id and the variables in html's style.
// Only those count: the page's own body classes ('empty', 'diff') change when a profile arrives, and
// re-reading the theme then made a new palette and a second full draw before the first frame was shown.
const themeKey = () =>
  `${Array.from(document.body.classList).filter((c) => c.startsWith('vscode-')).join(' ')}|${document.body.dataset.vscodeThemeId ?? ''}|${document.documentElement.getAttribute('style') ?? ''}`;
let lastThemeKey = themeKey();
const themeObserver = new MutationObserver(() => {
  const key = themeKey();
  if (key === lastThemeKey) return;
  lastThemeKey = key;
  palette = readTheme();
  renderLegend();
  scheduleDraw();
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
// Each canvas reads its size only when it changed (see CanvasSize.resize).
// A size the canvas was already drawn at is no change: the legend filled in with the first profile shrinks
// the graph before its first draw (which reads the new size), and a second full draw for the same size
// cost as much as the first on a cold page.
// The minimap alone changing size (it is first sized after the first frame) redraws only the minimap.
const resizeObserver = new ResizeObserver((entries) => {
  let graph = false;
  let mini = false;
  for (const e of entries) {
    const { width, height } = e.contentRect;
    const sized = [renderer, minimap, callersRenderer, calleesRenderer].find((r) => r.canvas === e.target);
    if (!sized || (sized.size.width === width && sized.size.height === height)) continue;
    sized.size.markResized();
    if (sized === minimap) mini = true;
    else graph = true;
  }
  if (graph) scheduleDraw();
  else if (mini && !drawPending && !minimapPending) {
    minimapPending = true;
    requestAnimationFrame(() => {
      minimapPending = false;
      drawMinimap();
    });
  }
});
let minimapPending = false;
for (const el of [canvas, minimap.canvas, callersRenderer.canvas, calleesRenderer.canvas]) resizeObserver.observe(el);

// ---- messages ----

window.addEventListener('message', (e: MessageEvent) => {
  const raw: unknown = e.data;
  phaseStart = timings.messageAt = performance.now();
  timings.phases = {};
  const m = parseHostMessage(raw);
  if (!m) {
    // VS Code itself posts nothing here; anything malformed is dropped, not trusted.
    console.warn('flamegraph: ignored message', describeMessage(raw));
    log('warn', `ignored malformed message ${describeMessage(raw)}`);
    return;
  }
  phase('validate');
  timings.receivedAt = performance.now();
  try {
    receive(m);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    showStatus(`Could not show the profile: ${text}`, true);
    log('error', text);
  }
});

// ---- test hook (Playwright in the page test and the real-VS-Code e2e) ----

interface TestHook {
  frameRect(name: string): { x: number; y: number; w: number; h: number } | undefined;
  selectPath(path: readonly string[]): void;
  state(): unknown;
  timings: typeof timings;
  drawTimes: number[];
  slices: SliceRunner['stats'];
}
(window as unknown as { __flamegraphTest: TestHook }).__flamegraphTest = {
  /** CSS-pixel rectangle (page coordinates) of the visible part of the widest node named `name`, scrolled into view. */
  frameRect(name: string) {
    if (!tree) return undefined;
    const node = tree.widestNodeNamed(name);
    if (node < 0) return undefined;
    if (sandwich) closeSandwich();
    ensureVisible(node);
    draw();
    const r = renderer.nodeRect(node, renderState()!);
    if (!r) return undefined;
    const b = canvas.getBoundingClientRect();
    const x = Math.max(r.x, 0);
    const w = Math.min(r.x + r.w, renderer.size.width) - x;
    return { x: b.left + x, y: b.top + r.y, w, h: r.h };
  },
  /** Selects the node at a path of names (root excluded), as a click on it would. */
  selectPath(path: readonly string[]) {
    if (tree) select(tree.findPath(path));
  },
  state() {
    return {
      title,
      nodes: tree?.size ?? 0,
      view,
      orientation,
      selected: tree && selected >= 0 ? tree.name(selected) : undefined,
      selectedFrameId: tree && selected > 0 ? tree.frame[selected] : undefined,
      selectedPath: tree && selected > 0 ? tree.pathOf(selected) : undefined,
      selectedTotal: tree && selected >= 0 ? tree.total[selected] : undefined,
      hovered: tree && hovered >= 0 ? tree.name(hovered) : undefined,
      matchedShare: found && tree ? found.matchedValue / tree.totalValue : undefined,
      sandwich: sandwichFn >= 0 && tree ? tree.fnNames[sandwichFn] : undefined,
      sandwichSelected: sandwich
        ? {
            callers: sandwich.callers.selected >= 0 ? sandwich.callers.tree.name(sandwich.callers.selected) : undefined,
            callees: sandwich.callees.selected >= 0 ? sandwich.callees.tree.name(sandwich.callees.selected) : undefined,
            calleesSpan: sandwich.callees.view.x1 - sandwich.callees.view.x0,
          }
        : undefined,
      tableSelected: tree && table.selected >= 0 ? tree.fnNames[table.selected] : undefined,
      /** Rows are still being added in slices (after a load or a sort). */
      tableRendering: table.rendering,
      helpOpen: !helpBox.hidden,
      contentHeight: tree ? renderer.contentHeight(tree) : 0,
      viewHeight: renderer.size.height,
      diff: diff !== undefined,
      usesToolkit: toolbar.usesToolkit,
      lastDraw: lastStats,
      dark: palette.dark,
    };
  },
  timings,
  drawTimes,
  slices: slices.stats,
};

post({ type: 'ready' });
// While the host prepares the data: measure the label font and build the fill patterns, which do not
// depend on the profile, so the first paint after the data arrives does not pay for them.
setTimeout(() => {
  for (const r of [renderer, callersRenderer, calleesRenderer]) r.prepare(palette);
  if (!tree) table.warmUp();
}, 0);
