// fetchParcaProfile over an in-memory UnaryPost (no sockets): what it does with the pprof Parca returns.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fetchParcaProfile, isParcaError, type ParcaErrorKind, type UnaryPost } from './parcaAgent';
import { encodeGrpcWebFrame, encodeGrpcWebTrailers } from './grpcWeb';
import { decodeQueryRequest, encodeQueryResponse } from './parcaProtocol';
import { readPprofWire } from '../../../../test/support/pprofWire';
import { repoRoot } from '../../../../test/support/repoRoot';

const fixture = readFileSync(join(repoRoot(), 'test/fixtures/profiles/go-cpu.pb.gz'));
const cpuType = 'parca_agent:samples:count:cpu:nanoseconds:delta';

/** A post answering Query with `pprof` (and recording the query). */
function answering(pprof: Uint8Array, extraMessages = 0, seen: string[] = []): UnaryPost {
  return async (_path, body) => {
    seen.push(decodeQueryRequest(body.subarray(5)).merge?.query ?? '');
    const msg = encodeGrpcWebFrame(encodeQueryResponse({ pprof }));
    const frames = [msg, ...Array.from({ length: extraMessages }, () => msg), encodeGrpcWebTrailers({ 'grpc-status': '0' })];
    return { status: 200, headers: { 'content-type': 'application/grpc-web+proto' }, body: Buffer.concat(frames) };
  };
}

async function kindOf(p: Promise<unknown>): Promise<ParcaErrorKind> {
  try {
    await p;
  } catch (e) {
    assert.ok(isParcaError(e), String(e));
    return e.kind;
  }
  assert.fail('expected a ParcaError');
}

const req = { namespace: 'shop', pod: 'catalog-7d9f8-abcde', profileType: cpuType };

describe('fetchParcaProfile over an in-memory transport', () => {
  test('an empty merge is no-data, with or without sample types', async () => {
    const noTypes = gzipSync(Buffer.from([0x32, 0x00]));
    assert.equal(await kindOf(fetchParcaProfile({ ...req, post: answering(noTypes) })), 'no-data');
    assert.equal(await kindOf(fetchParcaProfile({ ...req, post: answering(Buffer.alloc(0)) })), 'no-data');
  });

  test('the type\'s sample type is read; a pprof that names it differently falls back to its default values', async () => {
    const w = readPprofWire(fixture);
    const sum = (type: string) => w.samples.reduce((a, s) => a + s.values[w.sampleTypes.findIndex((t) => t.type === type)], 0);
    const seen: string[] = [];
    const p = await fetchParcaProfile({ ...req, post: answering(fixture, 0, seen) });
    assert.equal(p.totalValue, sum('samples'));
    assert.equal(seen[0], `${cpuType}{namespace="shop", pod="catalog-7d9f8-abcde"}`);
    const q = await fetchParcaProfile({ ...req, profileType: 'x:ticks:count:cpu:nanoseconds', post: answering(fixture) });
    assert.equal(q.totalValue, sum('cpu'), 'decodePprof\'s default: cpu nanoseconds');
  });

  test('gzip bombs, non-pprof bytes and extra messages are bad responses', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    assert.equal(await kindOf(fetchParcaProfile({ ...req, post: answering(bomb), maxDecompressedBytes: 1024 * 1024 })), 'bad-response');
    assert.equal(await kindOf(fetchParcaProfile({ ...req, post: answering(Buffer.from('<html>not pprof</html>')) })), 'bad-response');
    assert.equal(await kindOf(fetchParcaProfile({ ...req, post: answering(fixture, 1) })), 'bad-response');
  });

  test('a transport that throws something other than a ParcaError is reported as unreachable, scrubbed', async () => {
    const post: UnaryPost = async () => {
      throw new Error('socket hang up; authorization=Bearer abcdef123456');
    };
    try {
      await fetchParcaProfile({ ...req, post, authorization: 'Bearer abcdef123456' });
      assert.fail('should throw');
    } catch (e) {
      assert.ok(isParcaError(e));
      assert.equal(e.kind, 'unreachable');
      assert.doesNotMatch(e.message, /abcdef123456/);
    }
  });
});
