// bpftrace map output of stack keys, e.g. `bpftrace -e 'profile:hz:99 { @[ustack, kstack] = count(); }'`:
//
//   @[
//       runtime.mapaccess2+51          <- user stack, leaf first, `name+offset`
//       main.main+29
//   ,
//       do_syscall_64+113              <- kernel stack (may be empty: `, ]: 1`)
//   ]: 7
//
// Scalar key parts on the opening line (`@[catalogsrv, ` for `@[comm, ustack]`) become context frames.
// Stack parts are user then kernel by default (the order of `@[ustack, kstack]`).

import { Profile, ProfileBuilder, type FrameInput } from '../model/profile';
import { classifyFrame } from '../model/frameKind';
import { ProfileFormatError, withSource } from './profileFormatError';

export interface DecodeBpftraceOptions {
  source?: string;
  /** What each multi-line stack part of the key is, in order. Default ['user', 'kernel']. */
  stackKinds?: ReadonlyArray<'user' | 'kernel'>;
  warnings?: string[];
}

/** True when the text looks like bpftrace map output with stack keys. */
export function looksLikeBpftrace(text: string): boolean {
  return /^@\w*\[/m.test(text.slice(0, 64 * 1024));
}

/** `name+123` -> name; also drops perf-mode address prefixes and ` (/lib/module.so)` suffixes. */
export function parseBpftraceFrame(line: string, kernel: boolean): FrameInput {
  let name = line.trim();
  // ustack(perf) mode: "7f3a1b2c name+12 (/usr/lib/libc.so.6)"
  // Length guard: the lazy match below is quadratic on pathological lines (e.g. a megabyte of spaces).
  const perf = name.length <= 4096 ? /^([0-9a-f]{6,16})\s+(.+?)(\s+\(([^()]*)\))?$/.exec(name) : null;
  if (perf) name = perf[2];
  name = name.replace(/\+(0x[0-9a-f]+|\d+)$/i, '');
  if (kernel) return { name, kind: 'kernel' };
  return { name, kind: classifyFrame({ name }) };
}

export function decodeBpftrace(text: string, opts: DecodeBpftraceOptions = {}): Profile {
  const source = opts.source;
  const stackKinds = opts.stackKinds ?? ['user', 'kernel'];
  const builder = new ProfileBuilder(classifyFrame);
  const lines = text.split('\n');

  let entries = 0;
  let unterminated = 0;
  let i = 0;
  while (i < lines.length) {
    const open = /^@\w*\[(.*)$/.exec(lines[i].replace(/\r$/, ''));
    i++;
    if (!open) continue;

    // Scalar parts written on the opening line: "@[catalogsrv, 1234, " -> ["catalogsrv", "1234"].
    const rest = open[1];
    // A key with no stacks at all closes on the same line: "@[catalogsrv]: 3" -> not a stack profile entry.
    const sameLine = /^(.*)\]:\s*(\d+)\s*$/.exec(rest);
    const scalars = (sameLine ? sameLine[1] : rest)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');

    const stacks: string[][] = [[]];
    let count: number | undefined = sameLine ? Number(sameLine[2]) : undefined;
    while (count === undefined && i < lines.length) {
      const line = lines[i].replace(/\r$/, '');
      if (/^@\w*\[/.test(line)) break; // next entry began: this one was cut off
      i++;
      const close = /^\s*(,\s*)?\]:\s*(\d+)\s*$/.exec(line);
      if (close) {
        count = Number(close[2]);
        break;
      }
      if (/^\s*,\s*$/.test(line)) {
        stacks.push([]);
        continue;
      }
      if (line.trim() !== '') stacks[stacks.length - 1].push(line);
    }
    if (count === undefined) {
      unterminated++;
      continue;
    }
    entries++;

    const rootFirst: FrameInput[] = scalars.map((s) => ({ name: s, kind: 'k8s' as const }));
    let stackIndex = 0;
    for (const part of stacks) {
      if (part.length === 0) {
        stackIndex++;
        continue;
      }
      const kernel = (stackKinds[stackIndex] ?? 'user') === 'kernel';
      stackIndex++;
      for (let j = part.length - 1; j >= 0; j--) rootFirst.push(parseBpftraceFrame(part[j], kernel));
    }
    builder.addStack(rootFirst, count);
  }

  if (entries === 0) {
    throw new ProfileFormatError(
      withSource(
        source,
        unterminated > 0
          ? 'the bpftrace output is cut off before its first entry ends. Let bpftrace finish (Ctrl-C once) and save all of its output.'
          : 'no bpftrace stack entries (`@[...]: N`) were found. Print a map keyed by ustack/kstack, e.g. @[ustack, kstack] = count().',
      ),
    );
  }
  if (unterminated > 0) opts.warnings?.push(`Skipped ${unterminated} bpftrace entr${unterminated === 1 ? 'y' : 'ies'} cut off before the count.`);
  return builder.build({ source: source ?? 'bpftrace output', unit: 'samples' });
}
