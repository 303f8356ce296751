import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { choosePprofPort, fetchGoCpuProfile } from './goPprofAgent';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../cluster/clusterErrors';

const c = (name: string, ports: Array<[number, string?]>) => ({ name, ports: ports.map(([containerPort, n]) => ({ containerPort, name: n })) });

describe('choosePprofPort', () => {
  test('the annotation wins over named ports and the default', () => {
    const pod = { annotations: { 'podprofiler.dev/pprof-port': ' 7070 ' }, containers: [c('app', [[6061, 'pprof']])] };
    assert.deepEqual(choosePprofPort(pod, 6060), { port: 7070, source: 'annotation' });
  });

  test('a container port named pprof, then http-pprof, before the default', () => {
    assert.deepEqual(choosePprofPort({ containers: [c('app', [[8080, 'http'], [6061, 'http-pprof']])] }, 6060), { port: 6061, source: 'container-port', warning: undefined });
    const both = { containers: [c('a', [[6062, 'http-pprof']]), c('b', [[6063, 'pprof']])] };
    assert.equal(choosePprofPort(both, 6060).port, 6063, '"pprof" is preferred over "http-pprof"');
    assert.equal(choosePprofPort(both, 6060, 'a').port, 6062, 'limited to the chosen container');
  });

  test('the configured default otherwise, and 6060 when the setting is unusable', () => {
    assert.deepEqual(choosePprofPort({ containers: [c('app', [[8080, 'http']])] }, 9999), { port: 9999, source: 'default', warning: undefined });
    assert.equal(choosePprofPort({}, 0).port, 6060);
    assert.equal(choosePprofPort({}, 70000).port, 6060);
    assert.equal(choosePprofPort({}).port, 6060);
  });

  test('an invalid annotation is ignored with a warning', () => {
    for (const bad of ['', 'http', '0', '65536', '60.5']) {
      const r = choosePprofPort({ annotations: { 'podprofiler.dev/pprof-port': bad }, containers: [c('app', [[6061, 'pprof']])] }, 6060);
      assert.equal(r.port, 6061, bad);
      assert.equal(r.source, 'container-port');
      assert.match(r.warning ?? '', /Ignored annotation podprofiler\.dev\/pprof-port/);
    }
  });
});

describe('fetchGoCpuProfile input checks', () => {
  test('rejects durations outside 1..3600 whole seconds before any request', async () => {
    const kc = new KubeConfig();
    for (const seconds of [0, -1, 1.5, 3601, Number.NaN]) {
      await assert.rejects(fetchGoCpuProfile({ kc, namespace: 'shop', pod: 'p', port: 6060, seconds }), (e: unknown) => e instanceof ClusterError && e.kind === 'config');
    }
  });
});
