import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeProfile, sniffFormat } from './detectFormat';
import { ProfileFormatError } from './profileFormatError';
import { repoRoot } from '../../test/support/repoRoot';

const fixture = (name: string): Buffer => readFileSync(join(repoRoot(), 'test/fixtures/profiles', name));

describe('decodeProfile sniffs content, not names', () => {
  const cases: Array<[string, string]> = [
    ['go-cpu.pb.gz', 'pprof'],
    ['cpp-perf.pb.gz', 'pprof'],
    ['go.folded', 'folded'],
    ['cpp-perf.folded', 'folded'],
    ['go-bpftrace.txt', 'bpftrace'],
  ];
  for (const [name, format] of cases) {
    test(`${name} -> ${format}, also when renamed and when gzipped`, () => {
      const bytes = fixture(name);
      const p = decodeProfile(bytes, `/tmp/${name}`);
      assert.equal(p.meta.source, name);
      assert.ok(p.totalValue > 0);
      assert.equal(decodeProfile(bytes, 'profile.bin').totalValue, p.totalValue);
      if (format !== 'pprof') assert.equal(decodeProfile(gzipSync(bytes), 'x.gz').totalValue, p.totalValue);
    });
  }

  test('folded whose first line is longer than the sniffed head (deep C++ template stacks)', () => {
    const deep = Array.from({ length: 2000 }, (_, i) => `std::vector<std::basic_string<char>, std::allocator<char> >::f${i}()`).join(';');
    assert.ok(deep.length > 64 * 1024);
    const p = decodeProfile(Buffer.from(`${deep} 3\nmain;work 2\n`), 'deep.folded');
    assert.equal(p.totalValue, 5);
  });

  test('raw (not gzipped) pprof', () => {
    const { gunzipSync } = require('node:zlib') as typeof import('node:zlib');
    const raw = gunzipSync(fixture('go-cpu.pb.gz'));
    assert.equal(sniffFormat(raw), 'pprof');
    assert.equal(decodeProfile(raw).totalValue, decodeProfile(fixture('go-cpu.pb.gz')).totalValue);
  });
});

describe('decodeProfile refuses what it cannot read', () => {
  const throwsFormat = (fn: () => unknown, message: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof ProfileFormatError && message.test(e.message));

  test('empty', () => throwsFormat(() => decodeProfile(new Uint8Array(0), 'a.pb.gz'), /^a\.pb\.gz: the file is empty/));
  test('JSON', () => throwsFormat(() => decodeProfile(Buffer.from('{"nodes": []}'), 'x.cpuprofile'), /JSON profiles/));
  test('prose', () => throwsFormat(() => decodeProfile(Buffer.from('hello\nworld\n')), /unrecognized profile format/));
  test('random bytes', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) >>> 24) & 0xff;
    for (let n = 1; n < 30; n++) throwsFormat(() => decodeProfile(Uint8Array.from({ length: n * 53 }, rnd)), /./);
  });
  test('text over the size limit', () => {
    throwsFormat(() => decodeProfile(Buffer.from('a;b 1\n'.repeat(100)), 'big.folded', { maxTextBytes: 100 }), /limit/);
  });
  test('gzip bomb guard applies to text too', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a'));
    throwsFormat(() => decodeProfile(bomb, 'x.gz', { maxDecompressedBytes: 1024 * 1024 }), /gzip bomb/);
  });
});
