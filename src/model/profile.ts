// The one profile model every source targets (pprof, folded stacks, Pixie, ...) and every view reads.
// No vscode API here: this runs in plain Node tests.

/** How a frame is coloured and treated by resolution. Mirrors Pixie's flamegraph reading. */
export type FrameKind =
  | 'k8s' // node:, namespace:, pod:, container:, pid: frames prepended for context
  | 'user' // application code (may be resolved to the workspace)
  | 'runtime' // language runtime / standard library (dimmed)
  | 'kernel' // [k] frames
  | 'java' // [j] frames, JIT
  | 'unknown'; // unsymbolized: bare hex, [m] module+offset, <stack trace lost>

export interface Frame {
  /** Function name exactly as the source gave it (demangled if the source demangled it). */
  readonly name: string;
  /** Source file as recorded by the profiler (a container build path), when known. */
  readonly file?: string;
  /** 1-based line inside `file` that was executing (leaf) or calling (caller), when known. */
  readonly line?: number;
  /** 1-based line where the function is declared, when the source says so (pprof Function.start_line). */
  readonly startLine?: number;
  readonly kind: FrameKind;
}

/** A node of the call tree. Children are keyed by frame id so equal stacks merge. */
export interface CallNode {
  readonly frameId: number;
  /** Samples (or weighted value) where this node was the leaf. */
  self: number;
  /** Samples in this node and everything below it. */
  total: number;
  readonly children: Map<number, CallNode>;
}

export interface ProfileMeta {
  /** What produced it, for the status bar and errors: "Go pprof via pod shop/catalog-7d9", "go-cpu.pb.gz". */
  readonly source: string;
  /** The sample value unit of `total`/`self`. */
  readonly unit: 'samples' | 'nanoseconds' | 'count';
  /** Wall-clock span covered, when known. */
  readonly durationNanos?: number;
  /** Capture time (ms since epoch), when known. */
  readonly capturedAt?: number;
}

export const ROOT_FRAME_ID = -1;

export class Profile {
  readonly frames: readonly Frame[];
  readonly root: CallNode;
  readonly meta: ProfileMeta;

  constructor(frames: readonly Frame[], root: CallNode, meta: ProfileMeta) {
    this.frames = frames;
    this.root = root;
    this.meta = meta;
  }

  get totalValue(): number {
    return this.root.total;
  }

  /** Visits every node depth-first with its ancestors (root excluded), root-to-leaf. */
  walk(visit: (node: CallNode, stack: readonly CallNode[]) => void): void {
    const stack: CallNode[] = [];
    // Iterative: real profiles can be thousands of frames deep (recursion in user code).
    const pending: Array<{ node: CallNode; depth: number }> = [];
    for (const child of this.root.children.values()) pending.push({ node: child, depth: 0 });
    pending.reverse();
    while (pending.length > 0) {
      const { node, depth } = pending.pop()!;
      stack.length = depth;
      stack.push(node);
      visit(node, stack);
      const children = [...node.children.values()];
      for (let i = children.length - 1; i >= 0; i--) pending.push({ node: children[i], depth: depth + 1 });
    }
  }
}

export interface FrameInput {
  name: string;
  file?: string;
  line?: number;
  startLine?: number;
  kind?: FrameKind;
}

/** Builds a Profile from stacks. Interns frames so equal (name, file, line) share one id. */
export class ProfileBuilder {
  private readonly frames: Frame[] = [];
  private readonly frameIds = new Map<string, number>();
  private readonly root: CallNode = { frameId: ROOT_FRAME_ID, self: 0, total: 0, children: new Map() };

  constructor(private readonly classify: (frame: FrameInput) => FrameKind = () => 'user') {}

  internFrame(input: FrameInput): number {
    const key = `${input.name}\u0000${input.file ?? ''}\u0000${input.line ?? ''}\u0000${input.kind ?? ''}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frames.length;
      const kind = input.kind ?? this.classify(input);
      this.frames.push({ name: input.name, file: input.file, line: input.line, startLine: input.startLine, kind });
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** Adds one stack, root first, carrying `value` samples. Empty stacks and non-positive values are ignored. */
  addStack(rootFirst: readonly (FrameInput | number)[], value: number): void {
    if (!(value > 0) || rootFirst.length === 0) return;
    let node = this.root;
    node.total += value;
    for (const f of rootFirst) {
      const id = typeof f === 'number' ? f : this.internFrame(f);
      let child = node.children.get(id);
      if (!child) {
        child = { frameId: id, self: 0, total: 0, children: new Map() };
        node.children.set(id, child);
      }
      child.total += value;
      node = child;
    }
    node.self += value;
  }

  build(meta: ProfileMeta): Profile {
    return new Profile(this.frames, this.root, meta);
  }
}
