import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import * as protobuf from 'protobufjs';
import pprofProto from './pprof.proto';
import { countPprofSamples, decodePprof, encodePprof } from './pprof';
import { ProfileFormatError } from './profileFormatError';
import type { Profile } from '../model/profile';
import { functionStats } from '../model/profileStats';
import { readPprofWire, wireStacks } from '../../test/support/pprofWire';
import { repoRoot } from '../../test/support/repoRoot';

const fixture = (name: string): Uint8Array => readFileSync(join(repoRoot(), 'test/fixtures/profiles', name));

/** The profile's stacks as "name|file|line" paths root first, with their self values. */
function profileStacks(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  p.walk((node, stack) => {
    if (node.self <= 0) return;
    const key = stack.map((n) => {
      const f = p.frames[n.frameId];
      return `${f.name}|${f.file ?? ''}|${f.line ?? 0}`;
    }).join(';');
    out.set(key, (out.get(key) ?? 0) + node.self);
  });
  return out;
}

const positive = (m: Map<string, number>): Map<string, number> => new Map([...m].filter(([, v]) => v > 0));

/** [start, end] lines of a Go method in source text, found by its declaration and the next "}" at column 0. */
function goFunctionRange(source: string, method: string): [number, number] {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^func \\([^)]*\\) ${method}\\(`).test(l));
  assert.ok(start >= 0, `${method} not found in source`);
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return [start + 1, end + 1];
}

describe('decodePprof: go-cpu.pb.gz (Go net/http/pprof)', () => {
  const bytes = fixture('go-cpu.pb.gz');
  const wire = readPprofWire(bytes);
  const cpuIndex = wire.sampleTypes.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  const samplesIndex = wire.sampleTypes.findIndex((t) => t.type === 'samples');
  const profile = decodePprof(bytes, { source: 'go-cpu.pb.gz' });

  test('reads CPU nanoseconds and totals them like an independent wire walk', () => {
    assert.ok(cpuIndex >= 0 && samplesIndex >= 0);
    const expected = wire.samples.reduce((sum, s) => sum + s.values[cpuIndex], 0);
    assert.equal(profile.meta.unit, 'nanoseconds');
    assert.equal(profile.totalValue, expected);
    assert.ok(expected > 0);
  });

  test('sampleType "samples" gives the sample count', () => {
    const counts = decodePprof(bytes, { sampleType: 'samples' });
    assert.equal(counts.meta.unit, 'samples');
    assert.equal(counts.totalValue, wire.samples.reduce((sum, s) => sum + s.values[samplesIndex], 0));
    assert.throws(() => decodePprof(bytes, { sampleType: 'alloc_space' }), ProfileFormatError);
  });

  test('keeps duration and capture time', () => {
    assert.equal(profile.meta.durationNanos, wire.durationNanos);
    assert.equal(profile.meta.capturedAt, Math.round(Number(wire.timeNanos / 1000n) / 1000));
    assert.equal(profile.meta.source, 'go-cpu.pb.gz');
  });

  test('every stack (root first, inlined lines expanded) matches the wire data', () => {
    assert.deepEqual(profileStacks(profile), positive(wireStacks(wire, cpuIndex)));
  });

  test('inlined frames become parent/child frames, outermost first', () => {
    const inlined = [...wire.locations.values()].filter((lines) => lines.length > 1);
    assert.ok(inlined.length > 0, 'fixture has inlined locations');
    const [inner, outer] = inlined[0].map((l) => wire.functions.get(l.functionId)!.name);
    let found = false;
    profile.walk((node, stack) => {
      const parent = stack[stack.length - 2];
      if (parent && profile.frames[parent.frameId].name === outer && profile.frames[node.frameId].name === inner) found = true;
    });
    assert.ok(found, `${outer} -> ${inner}`);
  });

  test('top functions include readCatalogFile and parseCatalog, in main.go, on lines of their bodies', () => {
    const source = readFileSync(join(repoRoot(), 'test/fixtures/sources/go/main.go'), 'utf8');
    const stats = functionStats(profile);
    const top = stats.slice(0, 12).map((s) => s.name);
    for (const method of ['readCatalogFile', 'parseCatalog']) {
      const name = `main.(*productCatalog).${method}`;
      assert.ok(top.includes(name), `${name} in top 12: ${top.join(', ')}`);
      const [start, end] = goFunctionRange(source, method);
      if (method === 'readCatalogFile') assert.equal(start, 26);
      const frames = profile.frames.filter((f) => f.name === name);
      assert.ok(frames.length > 0);
      for (const f of frames) {
        assert.match(f.file!, /\/main\.go$/);
        assert.equal(f.kind, 'user');
        assert.equal(f.startLine, undefined, 'Go 1.19 writes start_line 0');
        assert.ok(f.line! > start && f.line! <= end, `${name} line ${f.line} within ${start}-${end}`);
      }
      // total = samples with this function anywhere on the stack (independently from the wire data).
      let expected = 0;
      for (const [stack, v] of wireStacks(wire, cpuIndex)) if (stack.split(';').some((fr) => fr.startsWith(`${name}|`))) expected += v;
      assert.equal(stats.find((s) => s.name === name)!.total, expected);
    }
  });

  test('the hot path GetProduct story: ServeHTTP -> parseCatalog -> readCatalogFile -> json', () => {
    const paths = [...profileStacks(profile).keys()].map((k) => k.split(';').map((f) => f.split('|')[0]));
    const chain = ['main.(*productCatalog).ServeHTTP', 'main.(*productCatalog).parseCatalog', 'main.(*productCatalog).readCatalogFile', 'encoding/json.Unmarshal'];
    assert.ok(paths.some((p) => chain.every((c, i) => p[p.indexOf(chain[0]) + i] === c)));
  });

  test('runtime and stdlib frames are classified runtime', () => {
    const kind = (name: string) => profile.frames.find((f) => f.name === name)?.kind;
    assert.equal(kind('runtime.mallocgc'), 'runtime');
    assert.equal(kind('encoding/json.Unmarshal'), 'runtime');
    assert.equal(kind('net/http.(*conn).serve'), 'runtime');
  });
});

describe('decodePprof: perf-converted C++ and Rust with srcline', () => {
  for (const name of ['cpp-perf.pb.gz', 'rust-perf.pb.gz']) {
    test(name, () => {
      const bytes = fixture(name);
      const wire = readPprofWire(bytes);
      const cpu = wire.sampleTypes.findIndex((t) => t.type === 'cpu');
      const p = decodePprof(bytes, { source: name });
      assert.equal(p.totalValue, wire.samples.reduce((s, x) => s + x.values[cpu], 0));
      assert.deepEqual(profileStacks(p), positive(wireStacks(wire, cpu)));
      const src = name.startsWith('cpp') ? /\/inventory\.cpp$/ : /\/src\/main\.rs$/;
      const userWithLines = p.frames.filter((f) => f.kind === 'user' && f.file && src.test(f.file) && f.line! > 0);
      assert.ok(userWithLines.length > 0, 'user frames carry source file and line');
      if (name.startsWith('cpp')) {
        assert.equal(p.frames.find((f) => f.name === 'shop::pricing::PriceEngine::discountFor')?.kind, 'user');
        assert.equal(p.frames.find((f) => f.name === '__libc_start_call_main')?.kind, 'runtime');
      } else {
        assert.equal(p.frames.find((f) => f.name === 'ledger::ledger::accounts::Ledger::balances')?.kind, 'user');
        assert.equal(p.frames.find((f) => f.name === 'std::rt::lang_start_internal')?.kind, 'runtime');
      }
    });
  }
});

describe('decodePprof: bad input throws ProfileFormatError', () => {
  const gz = fixture('go-cpu.pb.gz');
  const raw = new Uint8Array(zlib.gunzipSync(gz));

  const throwsFormat = (fn: () => unknown, message?: RegExp) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof ProfileFormatError, `expected ProfileFormatError, got ${String(e)}`);
      if (message) assert.match(e.message, message);
      return true;
    });

  test('empty input', () => throwsFormat(() => decodePprof(new Uint8Array(0)), /empty/));

  test('gzip cut at several offsets', () => {
    for (const frac of [0.05, 0.3, 0.5, 0.9, 0.999]) {
      throwsFormat(() => decodePprof(gz.subarray(0, Math.floor(gz.length * frac))), /cut off|corrupt/);
    }
  });

  test('raw protobuf cut at several offsets', () => {
    for (const frac of [0.01, 0.2, 0.5, 0.77, 0.95, 0.999]) {
      throwsFormat(() => decodePprof(raw.subarray(0, Math.floor(raw.length * frac))));
    }
  });

  test('random bytes', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 20; n++) {
      const junk = Uint8Array.from({ length: 64 + n * 97 }, rnd);
      throwsFormat(() => decodePprof(junk));
    }
  });

  test('gzipped text is not pprof', () => {
    throwsFormat(() => decodePprof(zlib.gzipSync('a;b;c 12\n')), /not a pprof/);
  });

  test('gzip bomb: 300 MiB of zeros is refused at the cap, without inflating it all', { timeout: 60_000 }, async () => {
    const bomb = await gzipZeros(300 * 1024 * 1024);
    assert.ok(bomb.length < 1024 * 1024, 'bomb is small');
    throwsFormat(() => decodePprof(bomb, { maxDecompressedBytes: 16 * 1024 * 1024 }), /gzip bomb/);
    throwsFormat(() => decodePprof(bomb), /256 MiB/); // the default cap
  });

  const T = protobuf.parse(pprofProto, { keepCase: true }).root.lookupType('perftools.profiles.Profile');
  const craft = (o: object) => T.encode(T.fromObject(o)).finish();
  const base = {
    sample_type: [{ type: 1, unit: 2 }],
    string_table: ['', 'samples', 'count', 'main.main', 'main.go'],
    function: [{ id: 1, name: 3, filename: 4 }],
    location: [{ id: 1, line: [{ function_id: 1, line: 10 }] }],
    sample: [{ location_id: [1], value: [5] }],
  };

  test('a hand-made valid profile decodes (control for the cases below)', () => {
    const p = decodePprof(craft(base));
    assert.equal(p.totalValue, 5);
    assert.deepEqual(p.frames[0], { name: 'main.main', file: 'main.go', line: 10, startLine: undefined, kind: 'user' });
  });

  test('ids and indices that point nowhere', () => {
    throwsFormat(() => decodePprof(craft({ ...base, sample: [{ location_id: [9], value: [5] }] })), /location 9, which is not defined/);
    throwsFormat(() => decodePprof(craft({ ...base, location: [{ id: 1, line: [{ function_id: 7, line: 1 }] }] })), /function 7, which is not defined/);
    throwsFormat(() => decodePprof(craft({ ...base, function: [{ id: 1, name: 99, filename: 4 }] })), /string 99/);
    throwsFormat(() => decodePprof(craft({ ...base, location: [{ id: 1, mapping_id: 3, line: [{ function_id: 1 }] }] })), /mapping 3/);
    throwsFormat(() => decodePprof(craft({ ...base, sample: [{ location_id: [1], value: [5, 6] }] })), /2 values/);
    throwsFormat(() => decodePprof(craft({ ...base, string_table: ['x', 'samples'] })), /not a pprof/);
  });
});

describe('countPprofSamples (no-data check of the profile stores)', () => {
  const gz = fixture('go-cpu.pb.gz');
  const raw = new Uint8Array(zlib.gunzipSync(gz));
  const T = protobuf.parse(pprofProto, { keepCase: true }).root.lookupType('perftools.profiles.Profile');

  test('go-cpu.pb.gz gunzipped: as many samples as the independent wire reader and protobufjs find', () => {
    const wireCount = readPprofWire(gz).samples.length;
    const pbCount = (T.toObject(T.decode(raw)) as { sample?: unknown[] }).sample?.length ?? 0;
    assert.ok(wireCount > 100, `fixture has ${wireCount} samples`);
    assert.equal(pbCount, wireCount);
    assert.equal(countPprofSamples(raw), wireCount);
  });

  test('a profile with sample types and no samples counts 0; empty bytes count 0', () => {
    const noSamples = T.encode(T.fromObject({ sample_type: [{ type: 1, unit: 2 }], string_table: ['', 'samples', 'count'] })).finish();
    assert.equal(countPprofSamples(noSamples), 0);
    assert.equal(countPprofSamples(new Uint8Array(0)), 0);
  });

  test('gzip, garbage and truncated protobuf are -1 (decodePprof judges them)', () => {
    assert.equal(countPprofSamples(gz), -1);
    assert.equal(countPprofSamples(Buffer.from('this is not a profile')), -1);
    assert.equal(countPprofSamples(Buffer.from([0x0a, 0x7f])), -1);
    assert.equal(countPprofSamples(Buffer.from([0x12, 0x80])), -1); // a length varint that never ends
    // The last field loses its last byte: whatever its wire type, it ends early.
    assert.equal(countPprofSamples(raw.subarray(0, raw.length - 1)), -1);
    // One sample and nothing else: every cut inside it (key, length or body) is -1, the whole is 1.
    const oneSample = T.encode(T.fromObject({ sample: [{ location_id: [1, 2, 300], value: [5, 70000] }] })).finish();
    assert.equal(countPprofSamples(oneSample), 1);
    for (let cut = 1; cut < oneSample.length; cut++) assert.equal(countPprofSamples(oneSample.subarray(0, cut)), -1, `cut at ${cut}`);
  });
});

describe('encodePprof round trip', () => {
  for (const name of ['go-cpu.pb.gz', 'cpp-perf.pb.gz', 'rust-perf.pb.gz']) {
    test(name, () => {
      const p = decodePprof(fixture(name), { source: name });
      const bytes = encodePprof(p);
      assert.equal(bytes[0], 0x1f, 'gzipped');
      const q = decodePprof(bytes, { source: name });
      assert.equal(q.totalValue, p.totalValue);
      assert.equal(q.meta.unit, p.meta.unit);
      assert.equal(q.meta.durationNanos, p.meta.durationNanos);
      assert.equal(q.meta.capturedAt, p.meta.capturedAt);
      assert.deepEqual(profileStacks(q), profileStacks(p));
      // An independent reader sees the same total in the exported file.
      const wire = readPprofWire(bytes);
      assert.equal(wire.samples.reduce((s, x) => s + x.values[0], 0), p.totalValue);
    });
  }

  test('kinds survive (kernel, java, context frames) through mappings', async () => {
    const { ProfileBuilder } = await import('../model/profile');
    const b = new ProfileBuilder();
    b.addStack([{ name: 'pod:shop/catalog', kind: 'k8s' }, { name: 'main.main', kind: 'user' }, { name: 'do_syscall_64', kind: 'kernel' }], 3);
    b.addStack([{ name: 'Interpreter', kind: 'java' }], 2);
    const p = b.build({ source: 't', unit: 'count' });
    const q = decodePprof(encodePprof(p));
    assert.deepEqual(q.frames.map((f) => [f.name, f.kind]), p.frames.map((f) => [f.name, f.kind]));
    assert.equal(q.meta.unit, 'count');
    assert.equal(q.totalValue, 5);
  });
});

/** Gzips `size` zero bytes by streaming (never holding them in memory). */
function gzipZeros(size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gz = zlib.createGzip({ level: 9 });
    const chunks: Buffer[] = [];
    gz.on('data', (c: Buffer) => chunks.push(c));
    gz.on('end', () => resolve(Buffer.concat(chunks)));
    gz.on('error', reject);
    const block = Buffer.alloc(1024 * 1024);
    let written = 0;
    const pump = () => {
      while (written < size) {
        written += block.length;
        if (!gz.write(block)) return void gz.once('drain', pump);
      }
      gz.end();
    };
    pump();
  });
}
