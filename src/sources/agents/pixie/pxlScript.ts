// The PxL script that reads one pod's eBPF stack samples from Pixie's stack_traces.beta table.
// Shaped like Pixie's own px/perf_flamegraph script: context columns from df.ctx, samples merged per
// stack_trace_id over the window (the profiler pushes one table every 30 s), counts summed.
//
// Inputs are checked against Kubernetes name rules and then written as escaped string literals, so a pod
// name can never change the script's meaning (no PxL injection).
import { PixieError } from './pixieErrors';

/** The output table of the script (px.display name). */
export const pxlOutputTable = 'stack_traces';

/** Columns of the output table, in order. */
export const pxlOutputColumns = ['node', 'namespace', 'pod', 'container', 'pid', 'cmdline', 'stack_trace_id', 'stack_trace', 'count'] as const;

/** Window choices offered to users; any `-<n><unit>` relative time is accepted. */
export const pixieWindowChoices = ['-30s', '-1m', '-5m', '-15m'] as const;
export const defaultPixieWindow = '-30s';

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600 };
/** Pixie keeps hours of profiles at most (table size bound); a day is a generous ceiling. */
const maxWindowSeconds = 24 * 3600;

/**
 * Normalizes a window the user typed ("5m", "-5m", "90s", " 1h ") to PxL's relative start_time form "-5m".
 * Throws PixieError('bad-input') for anything else.
 */
export function normalizePixieWindow(text: string): string {
  const m = /^\s*-?\s*(\d{1,6})\s*(s|m|h)\s*$/i.exec(text);
  if (!m) {
    throw new PixieError('bad-input', `"${text.slice(0, 40)}" is not a time window. Use a relative time such as 30s, 1m, 5m or 1h.`);
  }
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  const seconds = n * unitSeconds[unit];
  if (seconds < 1 || seconds > maxWindowSeconds) {
    throw new PixieError('bad-input', `The window must be between 1 s and 24 h (got ${n}${unit}).`);
  }
  return `-${n}${unit}`;
}

/** Length of a normalized window in seconds ("-5m" -> 300). */
export function pixieWindowSeconds(window: string): number {
  const w = normalizePixieWindow(window);
  return Number(w.slice(1, -1)) * unitSeconds[w.slice(-1)];
}

// DNS-1123 label (namespaces, container names) and subdomain (pod names), as the API server enforces.
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkName(what: string, value: string, pattern: RegExp, max: number): void {
  if (value.length === 0 || value.length > max || !pattern.test(value)) {
    throw new PixieError(
      'bad-input',
      `${JSON.stringify(value.slice(0, 80))} is not a valid Kubernetes ${what} name (lower-case letters, digits, '-'${what === 'pod' ? ", '.'" : ''}; at most ${max} characters).`,
    );
  }
}

/** A PxL (Python-syntax) single-quoted string literal holding `s` exactly. Defence in depth after validation. */
export function pxlString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${out}'`;
}

export interface PxlStackTraceQuery {
  namespace: string;
  pod: string;
  /** Only this container of the pod, when given. */
  container?: string;
  /** Relative start time, e.g. "-30s" (see normalizePixieWindow). Default "-30s". */
  window?: string;
}

/**
 * The PxL script for one pod's stack samples. Output table `stack_traces` with pxlOutputColumns:
 * one row per (process, stack trace) with the summed sample count.
 */
export function buildStackTracePxl(q: PxlStackTraceQuery): string {
  checkName('namespace', q.namespace, dnsLabel, 63);
  checkName('pod', q.pod, dnsSubdomain, 253);
  if (q.container !== undefined && q.container !== '') checkName('container', q.container, dnsLabel, 63);
  const window = normalizePixieWindow(q.window ?? defaultPixieWindow);
  // Pixie names pods "<namespace>/<pod>".
  const podFilter = pxlString(`${q.namespace}/${q.pod}`);
  const lines = [
    'import px',
    '',
    '# Pod Profiler: CPU stack samples of one pod from the eBPF profiler.',
    `df = px.DataFrame(table='stack_traces.beta', start_time=${pxlString(window)})`,
    "df.pod = df.ctx['pod']",
    `df = df[df.pod == ${podFilter}]`,
  ];
  if (q.container) {
    lines.push("df.container = df.ctx['container']", `df = df[df.container == ${pxlString(q.container)}]`);
  } else {
    lines.push("df.container = df.ctx['container']");
  }
  lines.push(
    "df.namespace = df.ctx['namespace']",
    "df.node = df.ctx['node']",
    "df.pid = df.ctx['pid']",
    "df.cmdline = df.ctx['cmdline']",
    '# Merge the 30 s profiles of the window into one: sum counts per stack trace and process.',
    "df = df.groupby(['node', 'namespace', 'pod', 'container', 'pid', 'cmdline', 'stack_trace_id']).agg(",
    "    stack_trace=('stack_trace', px.any),",
    "    count=('count', px.sum),",
    ')',
    `df = df[[${pxlOutputColumns.map((c) => pxlString(c)).join(', ')}]]`,
    `px.display(df, ${pxlString(pxlOutputTable)})`,
    '',
  );
  return lines.join('\n');
}
