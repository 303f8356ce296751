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
 * A compact, JSON-serialisable call tree. `frames` is indexed like Profile.frames (so a frame id sent back
 * in `openSource` is the host's own id). Nodes are in DFS preorder in parallel arrays; node 0 is the
 * synthetic root ("all samples", frame -1, parent -1, depth 0). Siblings with the same function are
 * merged; a node's `frame` is the heaviest profile frame of the ones merged into it.
 */
export interface FlameData {
  readonly unit: string;
  readonly frames: readonly FlameFrame[];
  readonly parent: readonly number[];
  readonly depth: readonly number[];
  readonly frame: readonly number[];
  readonly self: readonly number[];
  readonly total: readonly number[];
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

export type HostMessage = ProfileMessage | NoticeMessage | ResultMessage;

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

/** Explains why `x` is not a valid FlameData, or returns undefined when it is. Checks tree structure fully. */
export function flameDataProblem(x: unknown): string | undefined {
  if (!isRecord(x)) return 'not an object';
  if (!isShortString(x.unit, 64)) return 'unit';
  const { frames, parent, depth, frame, self, total } = x;
  if (!Array.isArray(frames) || frames.length > MAX_FRAMES) return 'frames';
  for (let i = 0; i < frames.length; i++) if (!isFlameFrame(frames[i])) return `frames[${i}]`;
  const arrays = { parent, depth, frame, self, total };
  for (const [k, a] of Object.entries(arrays)) if (!Array.isArray(a)) return `${k} is not an array`;
  const n = (parent as unknown[]).length;
  if (n < 1 || n > MAX_FLAME_NODES) return 'node count';
  for (const [k, a] of Object.entries(arrays)) if ((a as unknown[]).length !== n) return `${k} length`;
  const p = parent as unknown[], d = depth as unknown[], f = frame as unknown[], s = self as unknown[], t = total as unknown[];
  if (p[0] !== -1 || d[0] !== 0 || f[0] !== -1) return 'root node';
  // Preorder: a node's parent is an earlier node one level up; totals cover self plus children.
  const childSum = new Float64Array(n);
  // lastAtDepth[k] = most recent node at depth k: in preorder a node's parent must be exactly that.
  const lastAtDepth: number[] = [0];
  for (let i = 0; i < n; i++) {
    const si = s[i], ti = t[i];
    if (typeof si !== 'number' || typeof ti !== 'number' || !(si >= 0) || !(ti >= si) || !Number.isFinite(ti)) {
      return `values of node ${i}`;
    }
    if (i === 0) continue;
    const pi = p[i], di = d[i], fi = f[i];
    if (!isNonNegInt(pi) || pi >= i) return `parent of node ${i}`;
    if (!isNonNegInt(di) || di < 1 || di > lastAtDepth.length || lastAtDepth[di - 1] !== pi) return `preorder at node ${i}`;
    if (!isNonNegInt(fi) || fi >= frames.length) return `frame of node ${i}`;
    lastAtDepth.length = di;
    lastAtDepth.push(i);
    childSum[pi] += ti;
  }
  // Values are sums of floats upstream; allow rounding slack.
  for (let i = 0; i < n; i++) {
    const ti = t[i] as number;
    if (childSum[i] + (s[i] as number) > ti * (1 + 1e-9) + 1e-6) return `children exceed total at node ${i}`;
  }
  return undefined;
}

export function isFlameData(x: unknown): x is FlameData {
  return flameDataProblem(x) === undefined;
}

export function isHostMessage(x: unknown): x is HostMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'profile':
      return (
        isShortString(x.title, 1000) &&
        isFlameData(x.data) &&
        (x.baseline === undefined || isFlameData(x.baseline)) &&
        (x.baselineTitle === undefined || isShortString(x.baselineTitle, 1000)) &&
        (x.focusFunction === undefined || isShortString(x.focusFunction, MAX_NAME_CHARS))
      );
    case 'notice':
      return isShortString(x.text, MAX_TEXT_CHARS);
    case 'result':
      return typeof x.ok === 'boolean' && isShortString(x.text, MAX_TEXT_CHARS);
    default:
      return false;
  }
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
