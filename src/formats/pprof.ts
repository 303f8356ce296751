// pprof (perftools.profiles.Profile, usually gzipped): what Go's net/http/pprof, Parca, Pyroscope and
// perf converters produce. Decodes into the one Profile model and encodes it back for "Export Profile".
//
// Input is untrusted (a pod, a file someone sent): gzip output is capped, every id and string index is
// checked, and every failure becomes a ProfileFormatError that tells the user what to do.

import * as zlib from 'node:zlib';
import * as protobuf from 'protobufjs';
import pprofProto from './pprof.proto';
import { Profile, ProfileBuilder, type FrameInput, type FrameKind, type ProfileMeta } from '../model/profile';
import { classifyFrame } from '../model/frameKind';
import { ProfileFormatError, withSource } from './profileFormatError';

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export interface DecodePprofOptions {
  /** Name of the input for messages and ProfileMeta.source ("go-cpu.pb.gz", "pod shop/catalog"). */
  source?: string;
  /** Gzip bomb guard: refuse input that inflates beyond this many bytes. Default 256 MiB. */
  maxDecompressedBytes?: number;
  /** Sample type to read (e.g. "cpu", "samples", "alloc_space"). Default: see chooseValueIndex. */
  sampleType?: string;
}

// ---- protobuf schema (parsed once, lazily) ----

type Int = number | protobuf.Long;

interface PbValueType { type: Int; unit: Int }
interface PbSample { location_id: Int[]; value: Int[] }
interface PbMapping { id: Int; memory_start: Int; file_offset: Int; filename: Int }
interface PbLine { function_id: Int; line: Int }
interface PbLocation { id: Int; mapping_id: Int; address: Int; line: PbLine[] }
interface PbFunction { id: Int; name: Int; system_name: Int; filename: Int; start_line: Int }
interface PbProfile {
  sample_type: PbValueType[];
  sample: PbSample[];
  mapping: PbMapping[];
  location: PbLocation[];
  function: PbFunction[];
  string_table: string[];
  time_nanos: Int;
  duration_nanos: Int;
  period_type?: PbValueType | null;
  period: Int;
  default_sample_type: Int;
}

let profileType: protobuf.Type | undefined;
function pprofType(): protobuf.Type {
  profileType ??= protobuf.parse(pprofProto, { keepCase: true }).root.lookupType('perftools.profiles.Profile');
  return profileType;
}

// int64 fields arrive as protobufjs Long objects ({low, high, unsigned}) when long.js is loaded.
const longToNumber = (v: protobuf.Long, unsigned: boolean): number =>
  (unsigned ? v.high >>> 0 : v.high) * 0x1_0000_0000 + (v.low >>> 0);
const longToBigUint = (v: protobuf.Long): bigint => (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
const toNum = (v: Int | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : longToNumber(v, v.unsigned));
/** Map key for a uint64 id: a number when exact, else its decimal string (ids may be raw addresses). */
const idKey = (v: Int): number | string => {
  if (typeof v === 'number') return v;
  const n = longToNumber(v, true);
  return Number.isSafeInteger(n) ? n : longToBigUint(v).toString();
};
const hex = (v: Int): string => (typeof v === 'number' ? v.toString(16) : longToBigUint(v).toString(16));

// ---- decompression ----

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflates gzip input, refusing to produce more than `maxBytes` (zlib stops as soon as it passes the cap). */
export function gunzipCapped(bytes: Uint8Array, maxBytes: number, source?: string): Uint8Array {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new ProfileFormatError(
        withSource(
          source,
          `the compressed profile inflates to more than ${formatMiB(maxBytes)}, which looks like a gzip bomb or a far too large profile. ` +
            'Record a shorter profile, or raise the limit if you trust the file.',
        ),
        err.message,
      );
    }
    const truncated = /unexpected end/i.test(err.message);
    throw new ProfileFormatError(
      withSource(
        source,
        truncated
          ? 'the gzip data ends early: the profile was cut off (interrupted download or copy). Fetch or record it again.'
          : 'the gzip data is corrupt and cannot be decompressed. Fetch or record the profile again.',
      ),
      err.message,
    );
  }
}

function formatMiB(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MiB`;
}

// ---- counting samples without decoding ----

/**
 * Number of Sample messages (field 2) at the top level of an uncompressed pprof, or -1 when the bytes do not
 * read as protobuf (gzip included: decodePprof then says what is wrong). The profile stores answer an empty
 * merge with a pprof that may still declare sample types; counting first tells "no data" from "bad data"
 * without decoding the whole profile.
 */
export function countPprofSamples(b: Uint8Array): number {
  if (isGzip(b)) return -1;
  let pos = 0;
  let samples = 0;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= b.length) throw new RangeError('end');
      const byte = b[pos++];
      result += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new RangeError('varint');
  };
  try {
    while (pos < b.length) {
      const key = varint();
      const wire = key % 8;
      if (wire === 0) varint();
      else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else if (wire === 2) {
        const len = varint();
        pos += len;
        if (Math.floor(key / 8) === 2) samples++;
      } else return -1;
      if (pos > b.length) return -1;
    }
  } catch {
    return -1;
  }
  return samples;
}

// ---- decoding ----

export function decodePprof(bytes: Uint8Array, opts: DecodePprofOptions = {}): Profile {
  const source = opts.source;
  if (bytes.length === 0) {
    throw new ProfileFormatError(withSource(source, 'the profile is empty (0 bytes). The agent returned nothing; record again.'));
  }
  const raw = isGzip(bytes) ? gunzipCapped(bytes, opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, source) : bytes;
  if (raw.length === 0) {
    throw new ProfileFormatError(withSource(source, 'the profile is empty after decompression. Record it again.'));
  }

  let pb: PbProfile;
  try {
    pb = pprofType().decode(raw) as unknown as PbProfile;
  } catch (e) {
    const msg = (e as Error).message;
    const truncated = /index out of range/i.test(msg);
    throw new ProfileFormatError(
      withSource(
        source,
        truncated
          ? 'the pprof data ends in the middle of a record: the profile was cut off. Fetch or record it again.'
          : 'this is not a pprof profile (the protobuf data is malformed). Open a pprof .pb.gz, a folded-stacks text file or bpftrace output.',
      ),
      msg,
    );
  }
  return profileFromPb(pb, opts);
}

function profileFromPb(pb: PbProfile, opts: DecodePprofOptions): Profile {
  const source = opts.source;
  const fail = (what: string): never => {
    throw new ProfileFormatError(
      withSource(source, `the pprof profile is inconsistent: ${what}. The file is damaged or was written by a faulty tool; record it again.`),
    );
  };

  const strings = pb.string_table;
  if (strings.length === 0 || strings[0] !== '') {
    // Every pprof writer puts "" at index 0; without it this is some other protobuf message.
    throw new ProfileFormatError(
      withSource(source, 'this is not a pprof profile (no valid string table). Open a pprof .pb.gz, a folded-stacks text file or bpftrace output.'),
    );
  }
  const str = (v: Int, what: string): string => {
    const i = toNum(v);
    if (!(i >= 0 && i < strings.length)) fail(`${what} refers to string ${i} but the string table has ${strings.length} entries`);
    return strings[i];
  };

  if (pb.sample_type.length === 0) {
    if (pb.sample.length === 0) {
      throw new ProfileFormatError(
        withSource(source, 'this is not a pprof profile (it declares no sample types). Open a pprof .pb.gz, a folded-stacks text file or bpftrace output.'),
      );
    }
    fail('samples carry values but no sample types are declared');
  }
  const types = pb.sample_type.map((t) => ({ type: str(t.type, 'a sample type'), unit: str(t.unit, 'a sample unit') }));
  const valueIndex = chooseValueIndex(types, str(pb.default_sample_type, 'the default sample type'), opts.sampleType, source);
  const chosen = types[valueIndex];
  const unit: ProfileMeta['unit'] =
    chosen.unit === 'nanoseconds' ? 'nanoseconds' : chosen.type === 'samples' && chosen.unit === 'count' ? 'samples' : 'count';

  const functions = new Map<number | string, PbFunction>();
  for (const f of pb.function) functions.set(idKey(f.id), f);
  const mappings = new Map<number | string, PbMapping>();
  for (const m of pb.mapping) mappings.set(idKey(m.id), m);

  const builder = new ProfileBuilder(classifyFrame);
  // Each location becomes its frame ids leaf-first (inlined functions expand into several frames).
  const locationFrames = new Map<number | string, number[]>();
  for (const loc of pb.location) {
    const locId = idKey(loc.id);
    if (locId === 0) fail('a location has id 0');
    const mapping = toNum(loc.mapping_id) !== 0 ? mappings.get(idKey(loc.mapping_id)) : undefined;
    if (toNum(loc.mapping_id) !== 0 && !mapping) fail(`location ${locId} refers to mapping ${idKey(loc.mapping_id)}, which is not defined`);
    const mappingFile = mapping ? str(mapping.filename, `mapping ${idKey(mapping.id)}'s file name`) : '';
    const kindFromMapping = mappingKind(mappingFile);
    const ids: number[] = [];
    if (loc.line.length === 0) {
      // Unsymbolized: keep the address (and the module) so the user sees what is missing.
      const base = mappingFile ? mappingFile.slice(mappingFile.lastIndexOf('/') + 1) : '';
      ids.push(builder.internFrame({ name: base ? `${base} 0x${hex(loc.address)}` : `0x${hex(loc.address)}`, kind: kindFromMapping ?? 'unknown' }));
    }
    for (const line of loc.line) {
      const fn = functions.get(idKey(line.function_id));
      if (!fn) fail(`location ${locId} refers to function ${idKey(line.function_id)}, which is not defined`);
      const name = str(fn!.name, `function ${idKey(fn!.id)}'s name`) || str(fn!.system_name, `function ${idKey(fn!.id)}'s system name`);
      const file = str(fn!.filename, `function ${idKey(fn!.id)}'s file name`);
      const lineNo = toNum(line.line);
      const startLine = toNum(fn!.start_line);
      const frame: FrameInput = {
        name: name || `0x${hex(loc.address)}`,
        file: file || undefined,
        line: lineNo > 0 ? lineNo : undefined,
        startLine: startLine > 0 ? startLine : undefined,
      };
      if (kindFromMapping) frame.kind = kindFromMapping;
      else if (!name) frame.kind = 'unknown';
      ids.push(builder.internFrame(frame));
    }
    locationFrames.set(locId, ids);
  }

  const stack: number[] = [];
  for (const sample of pb.sample) {
    if (sample.value.length !== types.length) {
      fail(`a sample has ${sample.value.length} values but ${types.length} sample types are declared`);
    }
    const value = toNum(sample.value[valueIndex]);
    stack.length = 0;
    // pprof lists the leaf first; the model wants the root first.
    for (let i = sample.location_id.length - 1; i >= 0; i--) {
      const ids = locationFrames.get(idKey(sample.location_id[i]));
      if (!ids) fail(`a sample refers to location ${idKey(sample.location_id[i])}, which is not defined`);
      for (let j = ids!.length - 1; j >= 0; j--) stack.push(ids![j]);
    }
    builder.addStack(stack, value);
  }

  const durationNanos = toNum(pb.duration_nanos);
  const timeNanos = toNum(pb.time_nanos);
  return builder.build({
    source: source ?? 'pprof profile',
    unit,
    durationNanos: durationNanos > 0 ? durationNanos : undefined,
    capturedAt: timeNanos > 0 ? Math.round(timeNanos / 1e6) : undefined,
  });
}

/**
 * Picks which Sample.value entry to read: the requested type, else the profile's default type, else CPU
 * time (`cpu`/nanoseconds), else the sample count, else the last type (pprof's own default).
 */
export function chooseValueIndex(
  types: ReadonlyArray<{ type: string; unit: string }>,
  defaultType: string,
  wanted: string | undefined,
  source?: string,
): number {
  if (wanted) {
    const i = types.findIndex((t) => t.type === wanted);
    if (i < 0) {
      throw new ProfileFormatError(
        withSource(source, `the profile has no "${wanted}" values; it has ${types.map((t) => `${t.type}/${t.unit}`).join(', ')}.`),
      );
    }
    return i;
  }
  const byDefault = defaultType ? types.findIndex((t) => t.type === defaultType) : -1;
  if (byDefault >= 0) return byDefault;
  const cpu = types.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  if (cpu >= 0) return cpu;
  const samples = types.findIndex((t) => t.type === 'samples');
  if (samples >= 0) return samples;
  return types.length - 1;
}

/** Mapping names that tell a frame's kind whatever its name (perf converters, and our own export). */
function mappingKind(file: string): FrameKind | undefined {
  return MAPPING_KINDS.get(file);
}

// Written by encodePprof so kinds survive a round trip; the kernel names are perf's.
const MAPPING_KINDS = new Map<string, FrameKind>([
  ['[kernel.kallsyms]', 'kernel'],
  ['[kernel]', 'kernel'],
  ['[jit]', 'java'],
  ['[context]', 'k8s'],
]);
const KIND_MAPPINGS: Partial<Record<FrameKind, string>> = { kernel: '[kernel.kallsyms]', java: '[jit]', k8s: '[context]' };

// ---- encoding ----

/** Encodes a Profile as gzipped pprof: one Location per frame, one Sample per distinct stack. */
export function encodePprof(profile: Profile): Uint8Array {
  const strings: string[] = [''];
  const stringIds = new Map<string, number>([['', 0]]);
  const s = (v: string | undefined): number => {
    if (!v) return 0;
    let i = stringIds.get(v);
    if (i === undefined) {
      i = strings.length;
      strings.push(v);
      stringIds.set(v, i);
    }
    return i;
  };

  const [type, unit] =
    profile.meta.unit === 'nanoseconds' ? ['cpu', 'nanoseconds'] : profile.meta.unit === 'samples' ? ['samples', 'count'] : ['value', 'count'];
  const sampleType = [{ type: s(type), unit: s(unit) }];

  const mappingIds = new Map<string, number>();
  const mapping: Array<{ id: number; filename: number; has_functions: boolean }> = [];
  const mappingFor = (kind: FrameKind): number => {
    const file = KIND_MAPPINGS[kind];
    if (!file) return 0;
    let id = mappingIds.get(file);
    if (id === undefined) {
      id = mapping.length + 1;
      mapping.push({ id, filename: s(file), has_functions: true });
      mappingIds.set(file, id);
    }
    return id;
  };

  const functionIds = new Map<string, number>();
  const fns: Array<{ id: number; name: number; system_name: number; filename: number; start_line: number }> = [];
  const location = profile.frames.map((f, i) => {
    const key = `${f.name}\u0000${f.file ?? ''}\u0000${f.startLine ?? 0}`;
    let fid = functionIds.get(key);
    if (fid === undefined) {
      fid = fns.length + 1;
      fns.push({ id: fid, name: s(f.name), system_name: s(f.name), filename: s(f.file), start_line: f.startLine ?? 0 });
      functionIds.set(key, fid);
    }
    return { id: i + 1, mapping_id: mappingFor(f.kind), line: [{ function_id: fid, line: f.line ?? 0 }] };
  });

  const sample: Array<{ location_id: number[]; value: number[] }> = [];
  profile.walk((node, stack) => {
    if (node.self <= 0) return;
    const ids = new Array<number>(stack.length);
    for (let i = 0; i < stack.length; i++) ids[i] = stack[stack.length - 1 - i].frameId + 1;
    sample.push({ location_id: ids, value: [node.self] });
  });

  const message = {
    sample_type: sampleType,
    sample,
    mapping,
    location,
    function: fns,
    string_table: strings,
    duration_nanos: profile.meta.durationNanos ?? 0,
    time_nanos: profile.meta.capturedAt !== undefined ? profile.meta.capturedAt * 1e6 : 0,
  };
  const t = pprofType();
  return zlib.gzipSync(t.encode(t.fromObject(message)).finish());
}
