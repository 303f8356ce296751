import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterError, type ClusterErrorKind } from '../cluster/clusterErrors';
import { bodySnippet, scrub, secretsOfAuthorization, serverSaid, storeErrorFromCluster, type StoreErrorKind } from './storeErrors';

const asTuple = (kind: StoreErrorKind, message: string, status?: number) => ({ kind, message, status });

describe('store errors', () => {
  test('every ClusterError kind of the service proxy maps to a store kind, message and status kept', () => {
    const expected: Array<[ClusterErrorKind, StoreErrorKind]> = [
      ['config', 'bad-input'],
      ['unauthorized', 'unauthenticated'],
      ['forbidden', 'forbidden'],
      ['not-found', 'not-found'],
      ['unreachable', 'unreachable'],
      ['timeout', 'timeout'],
      ['tls', 'unreachable'],
      ['too-large', 'bad-response'],
      ['bad-response', 'bad-response'],
    ];
    for (const [clusterKind, storeKind] of expected) {
      const got = storeErrorFromCluster('Parca service a/b:1', new ClusterError(clusterKind, `it went ${clusterKind}`, 418), 'Parca', asTuple);
      assert.deepEqual(got, { kind: storeKind, message: `it went ${clusterKind}`, status: 418 });
    }
    assert.deepEqual(storeErrorFromCluster('x', new ClusterError('cancelled', 'aborted', 499), 'Pyroscope', asTuple), {
      kind: 'cancelled',
      message: 'Pyroscope query cancelled.',
      status: undefined,
    });
  });

  test('a failure that is not a ClusterError is unreachable, named by where, credentials redacted', () => {
    const got = storeErrorFromCluster('Parca service a/b:1', new Error('socket hang up, Authorization: Bearer abcdef123'), 'Parca', asTuple);
    assert.equal(got.kind, 'unreachable');
    assert.match(got.message, /^Parca service a\/b:1 failed: socket hang up/);
    assert.ok(!got.message.includes('abcdef123'), got.message);
  });

  test('secrets of Bearer and Basic values, scrubbing, what the server said', () => {
    assert.deepEqual(secretsOfAuthorization('Bearer tok_12345'), ['Bearer tok_12345', 'tok_12345']);
    const basic = `Basic ${Buffer.from('42:sekrit-token').toString('base64')}`;
    assert.deepEqual(secretsOfAuthorization(basic).slice(2), ['42:sekrit-token', 'sekrit-token']);
    assert.equal(scrub('echo: sekrit-token; x-scope-orgid-secret=abc', ['sekrit-token']), 'echo: [redacted]; x-scope-orgid-secret=[redacted]');
    assert.equal(scrub('Authorization: "tok"', []), 'Authorization: "[redacted]"');
    assert.equal(serverSaid('  line\n two  ', []), ' The server said: "line two".');
    assert.equal(serverSaid('', []), '');
    assert.equal(serverSaid('x'.repeat(400), []).length, ' The server said: "".'.length + 300);
  });

  test('body snippets: text kept, HTML and binary dropped', () => {
    assert.equal(bodySnippet(Buffer.from('404 page not found\n')), '404 page not found');
    assert.equal(bodySnippet(Buffer.from('<!DOCTYPE html><html>')), '');
    assert.equal(bodySnippet(Buffer.from([0x0a, 0x02, 0x01, 0x00])), '');
    assert.equal(bodySnippet(Buffer.alloc(0)), '');
  });
});
