import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromConnectAnswer, type PyroscopeCallContext } from './pyroscopeErrors';
import { scrub, secretsOfAuthorization } from '../storeErrors';
import { chooseCpuProfileType, resolveWindow } from './pyroscopeAgent';

const direct: PyroscopeCallContext = { where: 'Pyroscope at http://127.0.0.1:4040', procedure: '/querier.v1.QuerierService/SelectMergeProfile', viaServiceProxy: false, sentCredentials: true };
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('Pyroscope errors', () => {
  test('Connect codes and bare HTTP statuses map to kinds', () => {
    const cases: Array<[number, { code: string; message?: string } | undefined, string]> = [
      [401, { code: 'unauthenticated' }, 'unauthenticated'],
      [401, undefined, 'unauthenticated'],
      [403, { code: 'permission_denied' }, 'forbidden'],
      [404, undefined, 'not-found'],
      [501, { code: 'unimplemented' }, 'not-found'],
      [415, undefined, 'not-found'],
      [400, { code: 'invalid_argument', message: 'parse error' }, 'bad-input'],
      [504, { code: 'deadline_exceeded' }, 'timeout'],
      [503, { code: 'unavailable' }, 'unreachable'],
      [502, undefined, 'unreachable'],
      [429, { code: 'resource_exhausted' }, 'bad-response'],
      [500, { code: 'internal' }, 'bad-response'],
      [499, { code: 'canceled' }, 'cancelled'],
    ];
    for (const [status, connect, kind] of cases) {
      const e = errorFromConnectAnswer(direct, status, connect, connect ? json(connect) : Buffer.from('oops'));
      assert.equal(e.kind, kind, `${status} ${connect?.code}: ${e.message}`);
      assert.equal(e.status, status);
    }
  });

  test('the service-proxy 401 explains that Authorization cannot pass the API server', () => {
    const e = errorFromConnectAnswer({ ...direct, viaServiceProxy: true, sentCredentials: false }, 401, { code: 'unauthenticated', message: 'no org id' }, Buffer.alloc(0));
    assert.match(e.message, /drops Authorization/);
    assert.match(e.message, /tenantId/);
  });

  test('secrets of an Authorization value are scrubbed wherever a server echoes them', () => {
    const auth = `Basic ${Buffer.from('123456:glc_topsecret_token').toString('base64')}`;
    const secrets = secretsOfAuthorization(auth);
    assert.deepEqual(secrets.slice(2), ['123456:glc_topsecret_token', 'glc_topsecret_token']);
    const echoed = `bad header Authorization: ${auth}; token glc_topsecret_token; user 123456:glc_topsecret_token`;
    const e = errorFromConnectAnswer(direct, 401, { code: 'unauthenticated', message: echoed }, Buffer.alloc(0), secrets);
    assert.ok(!e.message.includes('glc_topsecret_token'), e.message);
    assert.ok(!e.message.includes(auth.slice(6)), e.message);
    assert.equal(scrub('Bearer abc.def-ghi', []), 'Bearer [redacted]');
    assert.deepEqual(secretsOfAuthorization(undefined), []);
  });

  test('CPU type choice and windows', () => {
    const t = (ID: string) => ({ ID });
    assert.equal(chooseCpuProfileType([t('memory:alloc_space:bytes:space:bytes'), t('process_cpu:samples:count:cpu:nanoseconds'), t('process_cpu:cpu:nanoseconds:cpu:nanoseconds')])?.ID, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds');
    assert.equal(chooseCpuProfileType([t('wall:wall:nanoseconds:wall:nanoseconds'), t('process_cpu:samples:count:cpu:nanoseconds')])?.ID, 'process_cpu:samples:count:cpu:nanoseconds');
    assert.equal(chooseCpuProfileType([t('jfr:cpu:nanoseconds:cpu:nanoseconds')])?.ID, 'jfr:cpu:nanoseconds:cpu:nanoseconds');
    assert.equal(chooseCpuProfileType([t('memory:inuse_space:bytes:space:bytes')]), undefined);
    assert.deepEqual(resolveWindow({}, 1_000_000), { start: 940_000, end: 1_000_000, text: '1m' });
    assert.deepEqual(resolveWindow({ windowSeconds: 45 }, 1_000_000), { start: 955_000, end: 1_000_000, text: '45s' });
    assert.equal(resolveWindow({ windowSeconds: 7200 }, 1e10).text, '2h');
    assert.throws(() => resolveWindow({ start: 5, end: 5 }));
    assert.throws(() => resolveWindow({ start: 5 }));
    assert.throws(() => resolveWindow({ windowSeconds: 90000 }));
  });
});
