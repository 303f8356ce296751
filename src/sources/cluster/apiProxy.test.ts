import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProxyPath, proxyPath } from './apiProxy';
import { ClusterError } from './clusterErrors';

describe('proxyPath', () => {
  test('pod form keeps the query string', () => {
    assert.equal(
      proxyPath({ namespace: 'shop', name: 'catalog-7d9f8-abcde', port: 6060, path: '/debug/pprof/profile?seconds=30' }),
      '/api/v1/namespaces/shop/pods/catalog-7d9f8-abcde:6060/proxy/debug/pprof/profile?seconds=30',
    );
  });

  test('service form with scheme and named port', () => {
    assert.equal(
      proxyPath({ kind: 'services', scheme: 'https', namespace: 'shop', name: 'catalog', port: 'pprof', path: '/debug/pprof/profile?seconds=5' }),
      '/api/v1/namespaces/shop/services/https:catalog:pprof/proxy/debug/pprof/profile?seconds=5',
    );
  });

  test('escapes path segments, refuses names that could change the URL', () => {
    assert.equal(proxyPath({ namespace: 'a', name: 'b', port: 1, path: '/x y/z' }), '/api/v1/namespaces/a/pods/b:1/proxy/x%20y/z');
    for (const bad of [{ name: '../x' }, { name: 'a/b' }, { namespace: 'A' }, { port: 'a:b' }, { path: 'no-slash' }]) {
      assert.throws(() => proxyPath({ namespace: 'shop', name: 'p', port: 1, path: '/', ...bad }), ClusterError);
    }
  });

  test('parseProxyPath reads back what proxyPath builds', () => {
    const t = { kind: 'services' as const, scheme: 'https' as const, namespace: 'shop', name: 'catalog', port: 'pprof', path: '/debug/pprof/profile?seconds=5' };
    assert.deepEqual(parseProxyPath(proxyPath(t)), t);
    assert.deepEqual(parseProxyPath('/api/v1/namespaces/ns/pods/p:6060/proxy/debug/pprof/profile?seconds=1'), {
      namespace: 'ns', kind: 'pods', scheme: undefined, name: 'p', port: 6060, path: '/debug/pprof/profile?seconds=1',
    });
    assert.throws(() => parseProxyPath('/api/v1/namespaces/ns/pods'), ClusterError);
  });
});
