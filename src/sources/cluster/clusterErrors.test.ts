import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromResponse, errorFromTransport, redactSecrets, type RequestDescription } from './clusterErrors';

const proxy: RequestDescription = {
  server: 'https://10.0.0.1:6443',
  path: '/api/v1/namespaces/shop/pods/catalog:6060/proxy/debug/pprof/profile?seconds=30',
  verb: 'get',
  resource: 'pods/proxy',
  namespace: 'shop',
  name: 'catalog',
  port: 6060,
  podPath: '/debug/pprof/profile?seconds=30',
};
const status = (code: number, reason: string, message: string) =>
  Buffer.from(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));

describe('errorFromResponse', () => {
  test('403 takes verb, resource and namespace from the Status message', () => {
    const e = errorFromResponse(
      { ...proxy, verb: 'list', resource: 'pods' },
      403,
      status(403, 'Forbidden', 'pods "catalog" is forbidden: User "u" cannot get resource "pods/proxy" in API group "" in the namespace "prod"'),
    );
    assert.equal(e.kind, 'forbidden');
    assert.match(e.message, /`get pods\/proxy` in namespace "prod"/);
  });

  test('404 with a Status is the object missing; without, the pod has no pprof handler', () => {
    assert.match(errorFromResponse(proxy, 404, status(404, 'NotFound', 'pods "catalog" not found')).message, /was not found/);
    const e = errorFromResponse(proxy, 404, Buffer.from('404 page not found\n'));
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /nothing serves \/debug\/pprof/);
    assert.match(e.message, /port 6060/);
  });

  test('503 refused / no endpoints / other', () => {
    const refused = errorFromResponse(proxy, 503, status(503, 'ServiceUnavailable', 'error trying to reach service: dial tcp 10.1.2.3:6060: connect: connection refused'));
    assert.equal(refused.kind, 'not-found');
    assert.match(refused.message, /Nothing listens on port 6060/);
    const other = errorFromResponse(proxy, 503, status(503, 'ServiceUnavailable', 'error trying to reach service: dial tcp 10.1.2.3:6060: i/o timeout'));
    assert.equal(other.kind, 'unreachable');
  });

  test('binary bodies are not quoted', () => {
    const e = errorFromResponse(proxy, 500, Buffer.from([0x1f, 0x8b, 0, 1, 2, 3]));
    assert.equal(e.kind, 'bad-response');
    assert.ok(!e.message.includes('\u0000'));
  });

  test('secrets in server text are redacted', () => {
    const e = errorFromResponse(proxy, 500, Buffer.from('upstream echoed Authorization: Bearer abc.def.ghi and token=s3cr3t-value'), ['s3cr3t-value']);
    assert.ok(!e.message.includes('abc.def.ghi'));
    assert.ok(!e.message.includes('s3cr3t-value'));
  });
});

describe('errorFromTransport', () => {
  test('maps socket and TLS error codes', () => {
    const err = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
    assert.equal(errorFromTransport(proxy, err('ECONNREFUSED')).kind, 'unreachable');
    assert.match(errorFromTransport(proxy, err('ENOTFOUND')).message, /https:\/\/10\.0\.0\.1:6443 \(host name not found\)/);
    assert.equal(errorFromTransport(proxy, err('DEPTH_ZERO_SELF_SIGNED_CERT')).kind, 'tls');
    assert.equal(errorFromTransport(proxy, err('ERR_TLS_CERT_ALTNAME_INVALID')).kind, 'tls');
  });
});

describe('redactSecrets', () => {
  test('removes bearer/basic credentials, key=value secrets and given values', () => {
    assert.equal(redactSecrets('Authorization: Bearer eyJhbGciOi.x.y'), 'Authorization: Bearer [redacted]');
    assert.equal(redactSecrets('Basic dXNlcjpwYXNz'), 'Basic [redacted]');
    assert.equal(redactSecrets('{"token":"abc123"}'), '{"token":"[redacted]"}');
    assert.equal(redactSecrets('x MYSECRET y', ['MYSECRET']), 'x [redacted] y');
  });
});
