// Rows of the stack-trace PxL script -> the one Profile model. Like Pixie's flamegraph, every stack gets
// Kubernetes context frames on top (node, namespace, pod, container, pid: kind 'k8s', coloured apart and
// never sent to source resolution), then the folded stack parsed in Pixie's dialect ([k] kernel, [j] Java,
// [m] module+offset and bare hex unsymbolized, <stack trace lost>).
import { ProfileBuilder, type FrameInput, type Profile } from '../../../model/profile';
import { classifyFrame } from '../../../model/frameKind';
import { parseFoldedStack } from '../../../formats/folded';
import type { PixieCell } from './pixieClient';

/** One output row of buildStackTracePxl (column names as in pxlOutputColumns). */
export interface PixieStackRow {
  node?: string;
  namespace?: string;
  /** Pixie's pod name: "namespace/pod". */
  pod?: string;
  container?: string;
  pid?: number;
  cmdline?: string;
  stack_trace: string;
  count: number;
}

export interface PixieProfileMeta {
  /** For the status bar: "Pixie: shop/catalog-7d9 (last 30s)". */
  source: string;
  /** Window length, when known. */
  durationNanos?: number;
  capturedAt?: number;
}

/** Checks and narrows raw table rows; rows with a missing stack or a non-positive count are skipped. */
export function toStackRows(rows: ReadonlyArray<Record<string, PixieCell>>): PixieStackRow[] {
  const out: PixieStackRow[] = [];
  const str = (v: PixieCell | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);
  for (const r of rows) {
    const stack = r.stack_trace;
    const count = typeof r.count === 'number' ? r.count : Number(r.count);
    if (typeof stack !== 'string' || stack === '' || !(count > 0)) continue;
    const pid = typeof r.pid === 'number' ? r.pid : r.pid !== undefined ? Number(r.pid) : undefined;
    out.push({
      node: str(r.node),
      namespace: str(r.namespace),
      pod: str(r.pod),
      container: str(r.container),
      pid: pid !== undefined && Number.isFinite(pid) ? pid : undefined,
      cmdline: str(r.cmdline),
      stack_trace: stack,
      count,
    });
  }
  return out;
}

/** The k8s context frames of one row, root first, as Pixie's UI shows them. Absent values are left out. */
export function k8sContextFrames(row: PixieStackRow): FrameInput[] {
  const frames: FrameInput[] = [];
  const add = (label: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') frames.push({ name: `${label}: ${value}`, kind: 'k8s' });
  };
  add('node', row.node);
  add('namespace', row.namespace);
  // Pixie spells pods "namespace/pod"; the namespace frame is already above, so show the pod's own name.
  const pod = row.pod && row.namespace && row.pod.startsWith(`${row.namespace}/`) ? row.pod.slice(row.namespace.length + 1) : row.pod;
  add('pod', pod);
  add('container', row.container);
  add('pid', row.pid);
  return frames;
}

export function pixieRowsToProfile(rows: readonly PixieStackRow[], meta: PixieProfileMeta): Profile {
  const builder = new ProfileBuilder(classifyFrame);
  // Stacks repeat across processes and 30 s pushes: parse each distinct stack text once.
  const parsed = new Map<string, number[]>();
  const contextIds = new Map<string, number[]>();
  for (const row of rows) {
    let stackIds = parsed.get(row.stack_trace);
    if (!stackIds) {
      stackIds = parseFoldedStack(row.stack_trace, 'pixie').map((f) => builder.internFrame(f));
      parsed.set(row.stack_trace, stackIds);
    }
    const ctxKey = `${row.node}\u0000${row.namespace}\u0000${row.pod}\u0000${row.container}\u0000${row.pid}`;
    let ctxIds = contextIds.get(ctxKey);
    if (!ctxIds) {
      ctxIds = k8sContextFrames(row).map((f) => builder.internFrame(f));
      contextIds.set(ctxKey, ctxIds);
    }
    builder.addStack([...ctxIds, ...stackIds], row.count);
  }
  return builder.build({ source: meta.source, unit: 'samples', durationNanos: meta.durationNanos, capturedAt: meta.capturedAt });
}
