// The messages between the extension host (src/views/flamegraph/) and the flamegraph webview (webview/).
// This is the ONLY module both sides import: plain data types and strict validators, no DOM, no vscode.
//
// Both sides validate everything they receive: a webview is untrusted content as far as the host is
// concerned (it must never be able to open arbitrary files), and the host may be a different version
// than the webview after a reload. Malformed or unknown messages are dropped and logged, never thrown.

/** Mirrors FrameKind of src/model/profile.ts; duplicated so the webview bundle never imports the model. */
export type FlameFrameKind = 'k8s' | 'user' | 'runtime' | 'kernel' | 'java' | 'unknown';
export const FLAME_FRAME_KINDS: readonly FlameFrameKind[] = ['k8s', 'user', 'runtime', 'kernel', 'java', 'unknown'];

export interface FlameFrame {
  readonly name: string;
  readonly kind: FlameFrameKind;
  /** File as the profiler recorded it (a container build path). */
  readonly file?: string;
  readonly line?: number;
  /** Where the frame resolved in the workspace, as a short label ("main.go:42"); absent when unresolved. */
  readonly location?: string;
}

/**
 * A compact call tree in typed arrays. `frames` is indexed like Profile.frames (so a frame id sent back in
 * `openSource` is the host's own id). Nodes are in DFS preorder in parallel columns; node 0 is the synthetic
 * root ("all samples", frame -1, parent -1, depth 0). Siblings with the same function are merged; a node's
 * `frame` is the heaviest profile frame of the ones merged into it.
 *
 * Typed arrays, not number[]: they survive postMessage's structured clone as one memcpy each, and VS Code
 * (engines >= 1.57) moves them between extension host and webview as binary buffers instead of JSON. A
 * 200k-node tree is 6.4 MB of columns either way, but no longer 1M boxed numbers to serialise and parse.
 */
export interface FlameData {
  readonly unit: string;
  readonly frames: readonly FlameFrame[];
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly frame: Int32Array;
  readonly self: Float64Array;
  readonly total: Float64Array;
}

/** The same columns as plain arrays (builders push into these, then call flameDataOf). */
export interface FlameColumns {
  readonly unit: string;
  readonly frames: readonly FlameFrame[];
  readonly parent: ArrayLike<number>;
  readonly depth: ArrayLike<number>;
  readonly frame: ArrayLike<number>;
  readonly self: ArrayLike<number>;
  readonly total: ArrayLike<number>;
}

export function flameDataOf(c: FlameColumns): FlameData {
  return {
    unit: c.unit,
    frames: c.frames,
    parent: Int32Array.from(c.parent),
    depth: Int32Array.from(c.depth),
    frame: Int32Array.from(c.frame),
    self: Float64Array.from(c.self),
    total: Float64Array.from(c.total),
  };
}

// ---- host -> webview ----

export interface ProfileMessage {
  readonly type: 'profile';
  readonly data: FlameData;
  readonly title: string;
  /** A second profile to compare against (differential flamegraph), normalised to totals. */
  readonly baseline?: FlameData;
  readonly baselineTitle?: string;
  /** Function name to select and zoom to (CodeLens "show in flamegraph"). */
  readonly focusFunction?: string;
}

/** Shows a note in place of the graph (no profile loaded, errors from the host). */
export interface NoticeMessage {
  readonly type: 'notice';
  readonly text: string;
}

/** Host's answer to saveImage / copyText, so the webview can confirm to the user. */
export interface ResultMessage {
  readonly type: 'result';
  readonly ok: boolean;
  readonly text: string;
}

/**
 * The user's editor cursor moved into a function that has samples (the host follows the active editor):
 * the webview highlights that function in the graph and the functions table, without opening anything.
 * `name` is the function's display name as in FlameFrame.name.
 */
export interface SelectFunctionMessage {
  readonly type: 'selectFunction';
  readonly name: string;
}

export type HostMessage = ProfileMessage | NoticeMessage | ResultMessage | SelectFunctionMessage;

// ---- webview -> host ----

export interface ReadyMessage {
  readonly type: 'ready';
}
export interface OpenSourceMessage {
  readonly type: 'openSource';
  readonly frameId: number;
}
export interface SaveImageMessage {
  readonly type: 'saveImage';
  readonly format: 'png' | 'svg';
  /** PNG: a `data:image/png;base64,` URL. SVG: the SVG document text. */
  readonly data: string;
}
export interface CopyTextMessage {
  readonly type: 'copyText';
  readonly text: string;
}
/** Asks the host to run one of its commands on the shown profile (export as pprof/folded, compare). */
export interface HostCommandMessage {
  readonly type: 'command';
  readonly command: 'exportProfile' | 'compareProfile';
}
export interface LogMessage {
  readonly type: 'log';
  readonly level: 'info' | 'warn' | 'error';
  readonly text: string;
}

export type WebviewMessage =
  | ReadyMessage
  | OpenSourceMessage
  | SaveImageMessage
  | CopyTextMessage
  | HostCommandMessage
  | LogMessage;

// ---- limits ----

/** Largest tree accepted (nodes). Larger profiles should be trimmed by the host before sending. */
export const MAX_FLAME_NODES = 2_000_000;
export const MAX_FRAMES = 2_000_000;
/** Largest image payload (about 48 MB of base64 / SVG text). */
export const MAX_IMAGE_CHARS = 64 * 1024 * 1024;
export const MAX_TEXT_CHARS = 1024 * 1024;
const MAX_NAME_CHARS = 64 * 1024;

// ---- validators ----

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNonNegInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isShortString(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length <= max;
}

function isFlameFrame(x: unknown): x is FlameFrame {
  if (!isRecord(x)) return false;
  if (!isShortString(x.name, MAX_NAME_CHARS)) return false;
  if (!FLAME_FRAME_KINDS.includes(x.kind as FlameFrameKind)) return false;
  if (x.file !== undefined && !isShortString(x.file, MAX_NAME_CHARS)) return false;
  if (x.line !== undefined && !isNonNegInt(x.line)) return false;
  if (x.location !== undefined && !isShortString(x.location, MAX_NAME_CHARS)) return false;
  return true;
}

const INT_COLUMNS = ['parent', 'depth', 'frame'] as const;
const FLOAT_COLUMNS = ['self', 'total'] as const;

/** Tag of a typed array that works across realms (the webview's message may come from another frame). */
function typedTag(x: unknown): string | undefined {
  return ArrayBuffer.isView(x) ? Object.prototype.toString.call(x) : undefined;
}

/**
 * Reads a FlameData from an untrusted message: typed-array columns are taken as they are; plain number
 * arrays (JSON, an older host) are converted. Returns the data, or why it is not a valid tree. The tree
 * check is one O(n) pass over the columns with no allocation per node.
 */
export function readFlameData(x: unknown): { data: FlameData; problem?: undefined } | { data?: undefined; problem: string } {
  if (!isRecord(x)) return { problem: 'not an object' };
  if (!isShortString(x.unit, 64)) return { problem: 'unit' };
  const frames = x.frames;
  if (!Array.isArray(frames) || frames.length > MAX_FRAMES) return { problem: 'frames' };
  for (let i = 0; i < frames.length; i++) if (!isFlameFrame(frames[i])) return { problem: `frames[${i}]` };
  const cols: Record<string, Int32Array | Float64Array> = {};
  for (const k of [...INT_COLUMNS, ...FLOAT_COLUMNS]) {
    const a = x[k];
    const isInt = (INT_COLUMNS as readonly string[]).includes(k);
    const tag = typedTag(a);
    if (tag) {
      if (tag !== (isInt ? '[object Int32Array]' : '[object Float64Array]')) return { problem: `${k} is ${tag.slice(8, -1)}` };
      cols[k] = a as Int32Array | Float64Array;
    } else if (Array.isArray(a)) {
      if (a.length > MAX_FLAME_NODES) return { problem: 'node count' };
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v !== 'number' || (isInt && !(Number.isInteger(v) && v >= -1 && v <= 0x7fffffff))) return { problem: `${k}[${i}]` };
      }
      cols[k] = isInt ? Int32Array.from(a as number[]) : Float64Array.from(a as number[]);
    } else return { problem: `${k} is not an array` };
  }
  const data: FlameData = {
    unit: x.unit,
    frames: frames as FlameFrame[],
    parent: cols.parent as Int32Array,
    depth: cols.depth as Int32Array,
    frame: cols.frame as Int32Array,
    self: cols.self as Float64Array,
    total: cols.total as Float64Array,
  };
  const layout: FlameLayout = { start: new Float64Array(data.parent.length), end: new Int32Array(data.parent.length), maxDepth: 0 };
  const problem = treeProblem(data, layout);
  if (problem !== undefined) return { problem };
  layouts.set(data, layout);
  return { data };
}

/**
 * What the validation pass works out anyway, kept so the webview's tree does not walk the nodes again:
 * each node's left edge in value units (the root spans [0, total[0]]) and the index just past its subtree.
 */
export interface FlameLayout {
  readonly start: Float64Array;
  readonly end: Int32Array;
  maxDepth: number;
}

/** Layouts of the FlameData that readFlameData validated (computed there, never read from a message). */
const layouts = new WeakMap<FlameData, FlameLayout>();

/** The layout readFlameData computed while validating `data`, if it did. */
export function validatedLayout(data: FlameData): FlameLayout | undefined {
  return layouts.get(data);
}

/**
 * Preorder, parent/depth consistency, frame ids in range, values finite and covering their children.
 * Memory is only per depth (the path from the root to the current node), never per node: allocating fresh
 * node-sized arrays is what costs most on a busy machine.
 */
function treeProblem(d: FlameData, layout: FlameLayout): string | undefined {
  const { parent: p, depth: dep, frame: f, self: s, total: t } = d;
  const n = p.length;
  if (n < 1 || n > MAX_FLAME_NODES) return 'node count';
  if (dep.length !== n) return 'depth length';
  if (f.length !== n) return 'frame length';
  if (s.length !== n) return 'self length';
  if (t.length !== n) return 'total length';
  if (p[0] !== -1 || dep[0] !== 0 || f[0] !== -1) return 'root node';
  const frameCount = d.frames.length;
  // onPath[k] = the node at depth k on the current root path (in preorder a node's parent must be exactly
  // onPath[depth-1]); childSum[k] = total of its children seen so far.
  let onPath = new Int32Array(64);
  let childSum = new Float64Array(64);
  let top = 0;
  const start = layout.start, end = layout.end;
  let maxDepth = 0;
  // Closes the nodes deeper than `depth` on the path: their children are complete now, and their
  // subtrees end just before node `next`.
  const close = (depth: number, next: number): number => {
    for (; top > depth; top--) {
      const node = onPath[top];
      end[node] = next;
      // Values are sums of floats upstream; allow rounding slack.
      if (childSum[top] + s[node] > t[node] * (1 + 1e-9) + 1e-6) return node;
    }
    return -1;
  };
  for (let i = 0; i < n; i++) {
    const si = s[i], ti = t[i];
    // Written so NaN fails every comparison.
    if (!(si >= 0) || !(ti >= si) || !(ti < Infinity)) return `values of node ${i}`;
    if (i === 0) continue;
    const pi = p[i], di = dep[i], fi = f[i];
    if (!(pi >= 0 && pi < i)) return `parent of node ${i}`;
    if (!(di >= 1 && di <= top + 1)) return `preorder at node ${i}`;
    const bad = close(di - 1, i);
    if (bad >= 0) return `children exceed total at node ${bad}`;
    if (onPath[di - 1] !== pi) return `preorder at node ${i}`;
    if (!(fi >= 0 && fi < frameCount)) return `frame of node ${i}`;
    if (di + 1 >= onPath.length) {
      const grownPath = new Int32Array(onPath.length * 2);
      grownPath.set(onPath);
      onPath = grownPath;
      const grownSum = new Float64Array(childSum.length * 2);
      grownSum.set(childSum);
      childSum = grownSum;
    }
    // Siblings sit side by side from their parent's left edge.
    start[i] = start[pi] + childSum[di - 1];
    if (di > maxDepth) maxDepth = di;
    childSum[di - 1] += ti;
    onPath[di] = i;
    childSum[di] = 0;
    top = di;
  }
  const bad = close(-1, n);
  layout.maxDepth = maxDepth;
  return bad >= 0 ? `children exceed total at node ${bad}` : undefined;
}

/** Explains why `x` is not a valid FlameData, or returns undefined when it is. Checks tree structure fully. */
export function flameDataProblem(x: unknown): string | undefined {
  return readFlameData(x).problem;
}

export function isFlameData(x: unknown): x is FlameData {
  return flameDataProblem(x) === undefined;
}

/**
 * Validates a message from the host and returns it with its trees in typed arrays (plain arrays are
 * converted), or undefined when anything is malformed.
 */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isRecord(x)) return undefined;
  switch (x.type) {
    case 'profile': {
      if (!isShortString(x.title, 1000)) return undefined;
      if (x.baselineTitle !== undefined && !isShortString(x.baselineTitle, 1000)) return undefined;
      if (x.focusFunction !== undefined && !isShortString(x.focusFunction, MAX_NAME_CHARS)) return undefined;
      const data = readFlameData(x.data).data;
      if (!data) return undefined;
      let baseline: FlameData | undefined;
      if (x.baseline !== undefined && !(baseline = readFlameData(x.baseline).data)) return undefined;
      const m: ProfileMessage = { type: 'profile', data, title: x.title, baseline, baselineTitle: x.baselineTitle, focusFunction: x.focusFunction };
      return m;
    }
    case 'notice':
      return isShortString(x.text, MAX_TEXT_CHARS) ? { type: 'notice', text: x.text } : undefined;
    case 'result':
      return typeof x.ok === 'boolean' && isShortString(x.text, MAX_TEXT_CHARS) ? { type: 'result', ok: x.ok, text: x.text } : undefined;
    case 'selectFunction':
      return isShortString(x.name, MAX_NAME_CHARS) && x.name.length > 0 ? { type: 'selectFunction', name: x.name } : undefined;
    default:
      return undefined;
  }
}

export function isHostMessage(x: unknown): x is HostMessage {
  return parseHostMessage(x) !== undefined;
}

export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'openSource':
      return isNonNegInt(x.frameId) && x.frameId < MAX_FRAMES;
    case 'saveImage':
      if (x.format === 'png') return isShortString(x.data, MAX_IMAGE_CHARS) && x.data.startsWith('data:image/png;base64,');
      if (x.format === 'svg') return isShortString(x.data, MAX_IMAGE_CHARS) && /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(x.data);
      return false;
    case 'copyText':
      return isShortString(x.text, MAX_TEXT_CHARS);
    case 'command':
      return x.command === 'exportProfile' || x.command === 'compareProfile';
    case 'log':
      return (x.level === 'info' || x.level === 'warn' || x.level === 'error') && isShortString(x.text, 10_000);
    default:
      return false;
  }
}

/** A short, safe description of a rejected message for logs (never the whole payload). */
export function describeMessage(x: unknown): string {
  if (!isRecord(x)) return typeof x;
  const type = typeof x.type === 'string' ? x.type.slice(0, 40) : typeof x.type;
  return `{type: ${JSON.stringify(type)}, keys: ${Object.keys(x).slice(0, 10).join(',')}}`;
}
