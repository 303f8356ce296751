import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata, status } from '@grpc/grpc-js';
import { redactSecrets, toPixieError, vizierStatusError } from './pixieErrors';

const key = 'px-api-5f0e7c2b-secret';
const ctx = { address: 'work.withpixie.ai:443', clusterId: '7c1f4e2a-93b5-4d61-8f0e-2a6b5c9d1e43' };
const grpcError = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: new Metadata() });

test('gRPC codes map to kinds that say what to do', () => {
  const cases: Array<[number, string, string, RegExp]> = [
    [status.UNAUTHENTICATED, 'bad key', 'auth', /Set Pixie API Key/],
    [status.PERMISSION_DENIED, 'denied', 'auth', /Set Pixie API Key/],
    [status.NOT_FOUND, 'cluster not found', 'unknown-cluster', /px get viziers/],
    [status.FAILED_PRECONDITION, 'vizier not ready', 'cluster-disconnected', /not connected/],
    [status.UNAVAILABLE, 'Vizier is not connected', 'cluster-disconnected', /not connected/],
    [status.UNAVAILABLE, 'connect ECONNREFUSED 127.0.0.1:1', 'unreachable', /Cannot reach/],
    [status.DEADLINE_EXCEEDED, 'Deadline exceeded', 'timeout', /within 60 s/],
    [status.CANCELLED, 'Cancelled on client', 'cancelled', /cancelled/],
    [status.RESOURCE_EXHAUSTED, 'too big', 'bad-response', /shorter window/],
  ];
  for (const [code, details, kind, text] of cases) {
    const e = toPixieError(grpcError(code, details), { ...ctx, timeoutMs: 60_000 });
    assert.equal(e.kind, kind, `${code} ${details}`);
    assert.match(e.message, text);
    assert.equal(e.grpcCode, code);
  }
});

test('a transport failure after data arrived is a dropped stream', () => {
  for (const code of [status.UNAVAILABLE, status.INTERNAL, status.UNKNOWN]) {
    const e = toPixieError(grpcError(code, 'Connection dropped'), { ...ctx, receivedData: true });
    assert.equal(e.kind, 'stream-dropped');
    assert.match(e.message, /No partial profile/);
  }
});

test('the API key never survives into a message, whatever the server echoes', () => {
  const e = toPixieError(grpcError(status.UNAUTHENTICATED, `invalid key ${key} (pixie-api-key: ${key})`), ctx, [key]);
  assert.ok(!e.message.includes(key), e.message);
  const s = vizierStatusError({ code: status.INVALID_ARGUMENT, message: `bad ${key}`, compilerErrors: [] }, ctx, [key]);
  assert.ok(!s.message.includes(key), s.message);
  // Header-shaped secrets are scrubbed even when the key is not known to the caller.
  assert.equal(redactSecrets('pixie-api-key: abc123xyz and authorization: Bearer tok.en', []), 'pixie-api-key: [redacted] and authorization: [redacted]');
});

test('Vizier status: compiler errors listed with line:column; auth and timeout statuses keep their kinds', () => {
  const e = vizierStatusError(
    { code: 3, message: 'Compilation failed', compilerErrors: [{ line: 4, column: 6, message: "Table 'x' not found." }, { line: 9, column: 1, message: 'name px2 is not defined' }] },
    ctx,
  );
  assert.equal(e.kind, 'script');
  assert.match(e.message, /could not compile/);
  assert.match(e.message, /line 4:6: Table 'x' not found\.; line 9:1: name px2 is not defined/);
  assert.equal(vizierStatusError({ code: 3, message: 'runtime failure', compilerErrors: [] }, ctx).message.includes('could not run'), true);
  assert.equal(vizierStatusError({ code: status.UNAUTHENTICATED, message: 'no', compilerErrors: [] }, ctx).kind, 'auth');
  assert.equal(vizierStatusError({ code: status.DEADLINE_EXCEEDED, message: 'slow', compilerErrors: [] }, ctx).kind, 'timeout');
});
