import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GrpcWebFrameError,
  decodeGrpcMessage,
  encodeGrpcWebFrame,
  encodeGrpcWebTrailers,
  grpcStatusOf,
  parseGrpcWebBody,
  parseTrailerBlock,
} from './grpcWeb';

/** A frame built byte by byte, independently of encodeGrpcWebFrame. */
function frame(flags: number, payload: Buffer, declared = payload.length): Buffer {
  return Buffer.concat([Buffer.from([flags, (declared >>> 24) & 0xff, (declared >>> 16) & 0xff, (declared >>> 8) & 0xff, declared & 0xff]), payload]);
}

function frameError(fn: () => unknown, reason: GrpcWebFrameError['reason']): void {
  assert.throws(fn, (e: unknown) => e instanceof GrpcWebFrameError && e.reason === reason);
}

describe('gRPC-Web framing', () => {
  test('a request frame is flags 0, big-endian length, payload', () => {
    const payload = Buffer.alloc(300, 7);
    assert.deepEqual(encodeGrpcWebFrame(payload), frame(0, payload));
    assert.deepEqual([...encodeGrpcWebFrame(Buffer.alloc(0))], [0, 0, 0, 0, 0]);
    assert.deepEqual([...encodeGrpcWebFrame(payload).subarray(0, 5)], [0, 0, 0, 1, 44]);
  });

  test('message then trailers (improbable-eng style, canonical header case) are split apart', () => {
    const msg = Buffer.from([1, 2, 3, 4]);
    const body = Buffer.concat([frame(0, msg), frame(0x80, Buffer.from('Grpc-Status: 0\r\nGrpc-Message: \r\n'))]);
    const parsed = parseGrpcWebBody(body, 1024);
    assert.deepEqual(parsed.messages, [msg]);
    assert.equal(parsed.trailers?.get('grpc-status'), '0');
    assert.deepEqual(grpcStatusOf(parsed.trailers, {}), { code: 0, codeName: 'OK', message: '' });
  });

  test('trailers written by encodeGrpcWebTrailers read back; percent-encoded messages are decoded', () => {
    const parsed = parseGrpcWebBody(encodeGrpcWebTrailers({ 'grpc-status': '16', 'grpc-message': 'token%20expired%3A%20%E2%9C%97' }), 10);
    assert.deepEqual(parsed.messages, []);
    assert.deepEqual(grpcStatusOf(parsed.trailers, {}), { code: 16, codeName: 'UNAUTHENTICATED', message: 'token expired: ✗' });
  });

  test('trailers-only answers take the status from the HTTP headers; the body trailers win when both exist', () => {
    assert.deepEqual(grpcStatusOf(undefined, { 'grpc-status': '12', 'grpc-message': 'unknown service' }), { code: 12, codeName: 'UNIMPLEMENTED', message: 'unknown service' });
    assert.equal(grpcStatusOf(new Map([['grpc-status', '5']]), { 'grpc-status': '0' })?.codeName, 'NOT_FOUND');
    assert.equal(grpcStatusOf(undefined, { 'content-type': 'text/html' }), undefined);
    assert.equal(grpcStatusOf(new Map([['grpc-status', 'abc']]), {})?.codeName, 'UNKNOWN');
    assert.equal(grpcStatusOf(new Map([['grpc-status', '99']]), {})?.codeName, 'code 99');
  });

  test('truncated header, truncated payload, oversized declarations, compressed and trailing garbage are refused', () => {
    frameError(() => parseGrpcWebBody(Buffer.from([0, 0, 0]), 100), 'truncated');
    frameError(() => parseGrpcWebBody(frame(0, Buffer.alloc(10), 20), 100), 'truncated');
    frameError(() => parseGrpcWebBody(frame(0, Buffer.alloc(0), 0xffffffff), 1 << 20), 'too-large');
    frameError(() => parseGrpcWebBody(frame(0x80, Buffer.alloc(0), 1 << 20), 1 << 30), 'too-large');
    frameError(() => parseGrpcWebBody(frame(1, Buffer.alloc(4)), 100), 'compressed');
    frameError(() => parseGrpcWebBody(Buffer.concat([frame(0x80, Buffer.from('grpc-status: 0\r\n')), Buffer.from('junk!')]), 100), 'after-trailers');
    frameError(() => parseGrpcWebBody(frame(0x80, Buffer.from('no colon here')), 100), 'bad-trailers');
  });

  test('random garbage never crashes: only GrpcWebFrameErrors or a parse', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.alloc(Math.floor(rnd() * 40));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
      if (rnd() < 0.5 && b.length > 0) b[0] &= 0x80; // often a plausible flag byte
      try {
        parseGrpcWebBody(b, 64);
      } catch (e) {
        assert.ok(e instanceof GrpcWebFrameError, String(e));
      }
    }
  });

  test('trailer blocks: names lower-cased, repeated names joined, blank lines ignored', () => {
    const m = parseTrailerBlock('Grpc-Status: 3\r\nX-A: 1\r\nx-a: 2\r\n\r\n');
    assert.equal(m.get('grpc-status'), '3');
    assert.equal(m.get('x-a'), '1, 2');
    assert.equal(decodeGrpcMessage('100%'), '100%');
    assert.equal(decodeGrpcMessage('bad %ZZ %41'), 'bad %ZZ A');
  });
});
