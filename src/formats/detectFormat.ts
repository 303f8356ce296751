// Opens any supported profile file: sniffs the content (never trusts the extension alone) and
// dispatches to one decoder. gzip is undone first, so `.folded.gz` and `.txt.gz` work too.

import type { Profile } from '../model/profile';
import { decodePprof, gunzipCapped, isGzip, DEFAULT_MAX_DECOMPRESSED_BYTES } from './pprof';
import { decodeFolded } from './folded';
import { decodeBpftrace, looksLikeBpftrace } from './bpftrace';
import { ProfileFormatError, withSource } from './profileFormatError';

export type ProfileFormat = 'pprof' | 'folded' | 'bpftrace';

export interface DecodeProfileOptions {
  /** Largest decompressed size accepted (gzip bomb guard). Default 256 MiB. */
  maxDecompressedBytes?: number;
  /** Largest text accepted. Default 512 MiB. */
  maxTextBytes?: number;
  /** Receives messages about skipped input (malformed lines, cut-off entries). */
  warnings?: string[];
}

export const DEFAULT_MAX_TEXT_BYTES = 512 * 1024 * 1024;

/** Decodes pprof (gzipped or not), folded stacks (BCC/perf/Pixie) or bpftrace output. */
export function decodeProfile(bytes: Uint8Array, fileName?: string, opts: DecodeProfileOptions = {}): Profile {
  const source = fileName ? fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1) : undefined;
  if (bytes.length === 0) {
    throw new ProfileFormatError(withSource(source, 'the file is empty. Record the profile again or pick another file.'));
  }
  const raw = isGzip(bytes) ? gunzipCapped(bytes, opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, source) : bytes;
  const format = sniffFormat(raw);
  if (format === 'pprof') {
    // Already inflated above: the cap applied there.
    return decodePprof(raw, { source });
  }
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  if (raw.length > maxText) {
    throw new ProfileFormatError(
      withSource(source, `the text profile is ${Math.round(raw.length / 1048576)} MiB, more than the ${Math.round(maxText / 1048576)} MiB limit. Record a shorter profile.`),
    );
  }
  const text = new TextDecoder('utf-8').decode(raw);
  if (format === 'bpftrace') return decodeBpftrace(text, { source, warnings: opts.warnings });
  if (format === 'folded') return decodeFolded(text, { source, warnings: opts.warnings });
  const start = text.trimStart();
  const hint = start.startsWith('{') || start.startsWith('[')
    ? 'JSON profiles (Chrome .cpuprofile, speedscope) are not supported yet; '
    : '';
  throw new ProfileFormatError(
    withSource(source, `unrecognized profile format. ${hint}Open a pprof .pb.gz, folded stacks (perf/BCC/Pixie: "a;b;c 12") or bpftrace @[ustack, kstack] output.`),
  );
}

/** Decides the format of decompressed content; 'unknown' for text that is none of ours. */
export function sniffFormat(raw: Uint8Array): ProfileFormat | 'unknown' {
  if (!looksLikeText(raw)) return 'pprof';
  const head = new TextDecoder('utf-8').decode(raw.subarray(0, 64 * 1024));
  if (looksLikeBpftrace(head)) return 'bpftrace';
  const firstLine = firstContentLine(raw);
  if (firstLine !== undefined && /\S \d+(\.\d+)?\r?$/.test(firstLine)) return 'folded';
  return 'unknown';
}

/** The first non-blank, non-comment line, read from the bytes (it may be longer than any fixed head). */
function firstContentLine(raw: Uint8Array): string | undefined {
  const decoder = new TextDecoder('utf-8');
  let start = 0;
  for (let n = 0; n < 1000 && start < raw.length; n++) {
    let end = raw.indexOf(0x0a, start);
    if (end < 0) end = raw.length;
    const line = decoder.decode(raw.subarray(start, end));
    start = end + 1;
    if (line.trim() !== '' && !line.startsWith('#')) return line;
  }
  return undefined;
}

/** Text has no NULs and almost no control bytes in its first 4 KiB; protobuf is full of both. */
function looksLikeText(raw: Uint8Array): boolean {
  const n = Math.min(raw.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = raw[i];
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  return control === 0 || control / n < 0.01;
}
