// Brendan Gregg's folded stacks: one line per stack, frames root first joined by ';', then a space and a
// count (`catalogsrv;main.main;runtime.mallocgc 12`). Two dialects are read:
//
// - 'bcc'  : BCC profile -f, perf script | stackcollapse-perf. Kernel frames end in `_[k]`, JIT frames in
//            `_[j]` (inlined `_[i]`, waker `_[w]` are only stripped); unsymbolized frames are `[unknown]`.
//            The first frame is the process name (comm). We keep it as a kind 'k8s' frame: it is context
//            like Pixie's pod:/container: frames, so it is coloured as context and never sent to resolution.
// - 'pixie': Pixie's stack_traces.beta. Kernel frames start with `[k] `, Java with `[j] `; unsymbolized
//            frames are `[m] <module> + 0x...` or a bare hex address; `<stack trace lost>` marks a lost stack.
//
// Markers are stripped from names; the kind carries their meaning. Frame names may contain spaces (C++
// argument lists), so the count is split off at the LAST space, and ';' inside square brackets (Go type
// arguments, see splitFoldedFrames). Repeated lines are summed.

import { Profile, ProfileBuilder, type FrameInput, type FrameKind } from '../model/profile';
import { classifyFrame } from '../model/frameKind';
import { ProfileFormatError, withSource } from './profileFormatError';

export type FoldedStyle = 'bcc' | 'pixie';

export interface DecodeFoldedOptions {
  source?: string;
  /** Dialect; detected from the markers when omitted. */
  style?: FoldedStyle;
  /** Whether the first frame of every line is a process name (comm). Detected when omitted (bcc only). */
  processRoot?: boolean;
  /** Refuse input with more lines than this. Default 50 million. */
  maxLines?: number;
  /** Receives one message per kind of problem that was skipped (e.g. malformed lines). */
  warnings?: string[];
}

const BCC_SUFFIX: ReadonlyArray<[string, FrameKind | undefined]> = [
  ['_[k]', 'kernel'],
  ['_[j]', 'java'],
  ['_[i]', undefined], // inlined: kind from the name
  ['_[w]', undefined], // waker stacks (offwaketime)
];

/** Parses one frame token (no ';') into a FrameInput with its kind decided. */
export function parseFoldedFrame(token: string, style: FoldedStyle): FrameInput {
  let name = token;
  let kind: FrameKind | undefined;
  if (style === 'bcc') {
    for (const [suffix, k] of BCC_SUFFIX) {
      if (name.endsWith(suffix)) {
        name = name.slice(0, -suffix.length);
        kind = k;
        break;
      }
    }
  } else if (name.startsWith('[k] ')) {
    name = name.slice(4);
    kind = 'kernel';
  } else if (name.startsWith('[j] ')) {
    name = name.slice(4);
    kind = 'java';
  } else if (name.startsWith('[m] ')) {
    name = name.slice(4);
    kind = 'unknown';
  }
  const frame: FrameInput = { name, kind };
  frame.kind = kind ?? classifyFrame(frame);
  return frame;
}

/**
 * The frames of a folded stack, split at its ';' but those inside square brackets: a Go generic
 * instantiation's type arguments can hold one (`main.SumBy[go.shape.struct { A int; B string }_0]`, as the
 * binary names it; BCC and Pixie write the name as it is, perf's stackcollapse turns the ';' into ':').
 * Brackets that do not close within the stack leave the plain split.
 */
export function splitFoldedFrames(stack: string): string[] {
  const tokens = stack.split(';');
  if (!stack.includes('[')) return tokens;
  let out: string[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    let depth = bracketDepth(tokens[i]);
    let last = i;
    while (depth > 0 && last + 1 < tokens.length) depth += bracketDepth(tokens[++last]);
    if (last === i || depth !== 0) {
      out?.push(tokens[i]);
      continue;
    }
    out ??= tokens.slice(0, i);
    out.push(tokens.slice(i, last + 1).join(';'));
    i = last;
  }
  return out ?? tokens;
}

/** '[' minus ']' in `token`. */
function bracketDepth(token: string): number {
  if (token.indexOf('[') < 0 && token.indexOf(']') < 0) return 0;
  let depth = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 91) depth++;
    else if (c === 93) depth--;
  }
  return depth;
}

/**
 * Parses a folded stack (frames root first, joined by ';', without the count) into frames with their
 * kinds. With `processRoot`, the first frame is a process name and becomes a 'k8s' context frame.
 */
export function parseFoldedStack(stack: string, style: FoldedStyle, opts: { processRoot?: boolean } = {}): FrameInput[] {
  const tokens = splitFoldedFrames(stack);
  const frames: FrameInput[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '') continue;
    frames.push(i === 0 && opts.processRoot ? { name: tokens[i], kind: 'k8s' } : parseFoldedFrame(tokens[i], style));
  }
  return frames;
}

/** 'pixie' when any Pixie marker appears, else 'bcc'. */
export function detectFoldedStyle(text: string): FoldedStyle {
  return /(^|;)\[[kjm]\] |<stack trace lost>/m.test(text) ? 'pixie' : 'bcc';
}

interface ParsedLines {
  /** Distinct stacks with their summed counts. */
  stacks: Map<string, number>;
  valid: number;
  invalid: number;
  firstInvalid?: string;
}

function splitLines(text: string, maxLines: number, source: string | undefined): ParsedLines {
  const stacks = new Map<string, number>();
  let valid = 0;
  let invalid = 0;
  let firstInvalid: string | undefined;
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (++lines > maxLines) {
      throw new ProfileFormatError(withSource(source, `the file has more than ${maxLines} lines; this is too large to be one profile. Record a shorter one.`));
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const countText = space > 0 ? line.slice(space + 1) : '';
    const count = /^\d+(\.\d+)?$/.test(countText) ? Number(countText) : NaN;
    const stack = space > 0 ? line.slice(0, space).trimEnd() : '';
    if (!Number.isFinite(count) || stack === '') {
      invalid++;
      firstInvalid ??= line.length > 120 ? `${line.slice(0, 120)}...` : line;
      continue;
    }
    valid++;
    stacks.set(stack, (stacks.get(stack) ?? 0) + count);
  }
  return { stacks, valid, invalid, firstInvalid };
}

// Roots a process-name frame must not be mistaken for (folded files written without a comm column).
const KNOWN_ROOTS = new Set(['main', '_start', 'start_thread', 'clone', 'clone3', 'thread_start', '[unknown]']);

/**
 * A BCC/perf file starts every stack with the process name: a short (comm is at most 15 bytes) plain word
 * that never shows up deeper in any stack and is not a runtime entry point like `runtime.goexit`.
 */
function detectProcessRoot(stacks: Map<string, number>): boolean {
  const roots = new Set<string>();
  for (const stack of stacks.keys()) {
    const semi = stack.indexOf(';');
    roots.add(semi < 0 ? stack : stack.slice(0, semi));
    if (roots.size > 64) return false;
  }
  for (const r of roots) {
    if (r.length === 0 || r.length > 15 || KNOWN_ROOTS.has(r) || /[():<>\s]|_\[[kjiw]\]$/.test(r)) return false;
    const kind = classifyFrame({ name: r });
    if (kind !== 'user') return false;
  }
  for (const stack of stacks.keys()) {
    const semi = stack.indexOf(';');
    if (semi < 0) continue;
    const rest = `${stack.slice(semi)};`;
    for (const r of roots) if (rest.includes(`;${r};`)) return false;
  }
  return true;
}

export function decodeFolded(text: string, opts: DecodeFoldedOptions = {}): Profile {
  const source = opts.source;
  const { stacks, valid, invalid, firstInvalid } = splitLines(text, opts.maxLines ?? 50_000_000, source);
  if (valid === 0 || invalid > valid) {
    const what =
      valid === 0 && invalid === 0
        ? 'the file has no stacks (it is empty)'
        : `this does not look like folded stacks (${invalid} of ${valid + invalid} lines are not "frame;frame;... count"; first: ${JSON.stringify(firstInvalid)})`;
    throw new ProfileFormatError(
      withSource(source, `${what}. Open a pprof .pb.gz, folded stacks (perf/BCC/Pixie) or bpftrace output.`),
    );
  }
  if (invalid > 0) opts.warnings?.push(`Skipped ${invalid} malformed line(s); first: ${JSON.stringify(firstInvalid)}`);

  const style = opts.style ?? detectFoldedStyle(text);
  const processRoot = opts.processRoot ?? (style === 'bcc' && detectProcessRoot(stacks));
  const builder = new ProfileBuilder(classifyFrame);
  // Most frames repeat across stacks: parse and intern each distinct token once.
  const tokenIds = new Map<string, number>();
  const rootIds = new Map<string, number>();
  const ids: number[] = [];
  for (const [stack, count] of stacks) {
    ids.length = 0;
    const tokens = splitFoldedFrames(stack);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token === '') continue;
      const cache = i === 0 && processRoot ? rootIds : tokenIds;
      let id = cache.get(token);
      if (id === undefined) {
        id = builder.internFrame(i === 0 && processRoot ? { name: token, kind: 'k8s' } : parseFoldedFrame(token, style));
        cache.set(token, id);
      }
      ids.push(id);
    }
    builder.addStack(ids, count);
  }
  return builder.build({ source: source ?? 'folded stacks', unit: 'samples' });
}

/**
 * Writes BCC-style folded stacks (kernel `_[k]`, JIT `_[j]` suffixes), one line per distinct stack with
 * its self value. File and line are not representable and are dropped. ';' and line breaks inside a
 * name would break the format and are replaced.
 */
export function encodeFolded(profile: Profile): string {
  const names = profile.frames.map((f) => {
    const clean = f.name.replace(/;/g, ':').replace(/[\r\n]+/g, ' ');
    return f.kind === 'kernel' ? `${clean}_[k]` : f.kind === 'java' ? `${clean}_[j]` : clean;
  });
  const out: string[] = [];
  profile.walk((node, stack) => {
    if (node.self <= 0) return;
    let line = '';
    for (let i = 0; i < stack.length; i++) line += (i ? ';' : '') + names[stack[i].frameId];
    out.push(`${line} ${node.self}`);
  });
  return out.length ? `${out.join('\n')}\n` : '';
}
