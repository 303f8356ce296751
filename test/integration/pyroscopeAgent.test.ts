// End to end over the Connect protocol: fetchPyroscopeProfile against the fake Pyroscope, straight to its URL
// and through the fake API server's service proxy (HTTPS, test CA, bearer token), answering the recorded Go
// CPU profile. Expected numbers come from the pprof file read by the hand-rolled wire reader
// (test/support/pprofWire.ts), not from the code under test. Every error kind, cancellation and timeouts too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/sources/cluster/kubeContexts';
import {
  directTransport,
  fetchPyroscopeProfile,
  listPyroscopeLabelValues,
  listPyroscopeProfileTypes,
  serviceProxyTransport,
  parseServiceRef,
  type PyroscopeProfileRequest,
  type PyroscopeTransport,
} from '../../src/sources/agents/pyroscope/pyroscopeAgent';
import { isPyroscopeError, type PyroscopeError, type PyroscopeErrorKind } from '../../src/sources/agents/pyroscope/pyroscopeErrors';
import { encodeProfileTypesRequest } from '../../src/sources/agents/pyroscope/pyroscopeProtocol';
import type { Profile } from '../../src/model/profile';
import { FakePyroscope } from '../fakes/fakePyroscope';
import { closedLocalPort, startFakeCluster, type FakeCluster } from '../fakes/startFakeCluster';
import { readPprofWire } from '../support/pprofWire';
import { HOT_FUNCTIONS } from '../support/goCpuExpectations';
import { repoRoot } from '../support/repoRoot';

const fixture = readFileSync(join(repoRoot(), 'test/fixtures/profiles/go-cpu.pb.gz'));
const catalogSeries = { namespace: 'shop', pod: 'catalog-7d9f8-abcde', container: 'catalog', node: 'node-a1', service_name: 'shop/catalog' };
const weirdPod = 'we"ird\\pod, pod=~".*';
const kubectlPath = process.env.KUBECTL ?? '/usr/bin/kubectl';

/** Totals straight from the file: all cpu nanoseconds, and those of samples with each hot function on the stack. */
function expectedFromFile(): { total: number; byFunction: Record<string, number>; samples: number } {
  const w = readPprofWire(fixture);
  const cpu = w.sampleTypes.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  assert.ok(cpu >= 0, 'the fixture has cpu/nanoseconds values');
  let total = 0;
  const byFunction: Record<string, number> = {};
  for (const s of w.samples) {
    total += s.values[cpu];
    const names = new Set<string>();
    for (const id of s.locationIds) for (const l of w.locations.get(id) ?? []) names.add(w.functions.get(l.functionId)?.name ?? '?');
    for (const name of Object.values(HOT_FUNCTIONS)) if (names.has(name)) byFunction[name] = (byFunction[name] ?? 0) + s.values[cpu];
  }
  return { total, byFunction, samples: w.samples.length };
}

/** Value of the profile's stacks that include `name` (each stack counted once). */
function totalWith(p: Profile, name: string): number {
  let sum = 0;
  p.walk((node, stack) => {
    if (node.self > 0 && stack.some((n) => p.frames[n.frameId].name === name)) sum += node.self;
  });
  return sum;
}

const messages: string[] = [];

async function rejection(promise: Promise<unknown>, kind: PyroscopeErrorKind): Promise<PyroscopeError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isPyroscopeError(e), `expected a PyroscopeError, got ${e instanceof Error ? e.stack : e}`);
    messages.push(e.message);
    assert.equal(e.kind, kind, `kind of: ${e.message}`);
    return e;
  }
  assert.fail(`expected a PyroscopeError of kind ${kind}, but the call succeeded`);
}

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function checkCatalogProfile(p: Profile, windowText: string): void {
  const want = expectedFromFile();
  assert.equal(p.meta.unit, 'nanoseconds');
  assert.equal(p.totalValue, want.total, 'total cpu ns equals the file\'s');
  for (const name of Object.values(HOT_FUNCTIONS)) {
    assert.ok(want.byFunction[name] > 0, `${name} is in the fixture`);
    assert.equal(totalWith(p, name), want.byFunction[name], `cpu ns under ${name}`);
  }
  // The demo's story: parseCatalog is a large share of the CPU.
  const share = want.byFunction[HOT_FUNCTIONS.parseCatalog] / want.total;
  assert.ok(share > 0.2, `parseCatalog share ${share}`);
  assert.equal(p.meta.source, `Pyroscope: shop/catalog-7d9f8-abcde${p.meta.source.includes('(catalog)') ? ' (catalog)' : ''}, last ${windowText}`);
}

describe('Pyroscope straight to its URL', () => {
  let fake: FakePyroscope;
  let transport: PyroscopeTransport;
  const base = (): PyroscopeProfileRequest => ({ transport, namespace: 'shop', pod: 'catalog-7d9f8-abcde', timeoutMs: 10_000 });

  before(async () => {
    fake = await FakePyroscope.start({ profile: fixture, series: [catalogSeries, { namespace: 'shop', pod: weirdPod, container: 'x' }] });
    transport = directTransport({ url: fake.url });
  });
  after(() => fake?.close());

  test('picks the CPU type from ProfileTypes, merges the pod\'s profile and decodes the real pprof', async () => {
    fake.requests.length = 0;
    const before = Date.now();
    const p = await fetchPyroscopeProfile(base());
    checkCatalogProfile(p, '1m');
    assert.deepEqual(fake.requests.map((r) => r.path), ['/querier.v1.QuerierService/ProfileTypes', '/querier.v1.QuerierService/SelectMergeProfile']);
    for (const r of fake.requests) {
      assert.equal(r.method, 'POST');
      assert.equal(r.contentType, 'application/proto');
      assert.equal(r.connectProtocolVersion, '1');
      assert.equal(r.connectTimeoutMs, '10000');
      assert.equal(r.status, 200);
    }
    const sel = fake.requests[1].fields;
    assert.equal(sel.profile_typeID, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds');
    assert.equal(sel.label_selector, '{namespace="shop", pod="catalog-7d9f8-abcde"}');
    assert.equal((sel.end as number) - (sel.start as number), 60_000);
    assert.ok((sel.end as number) >= before && (sel.end as number) <= Date.now(), 'end is now');
    assert.equal(sel.max_nodes, undefined);
    // ProfileTypes was asked for the same window.
    assert.deepEqual(fake.requests[0].fields, { start: sel.start, end: sel.end });
  });

  test('container, explicit type, window and max_nodes go into the request', async () => {
    fake.requests.length = 0;
    const p = await fetchPyroscopeProfile({ ...base(), container: 'catalog', profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', windowSeconds: 300, maxNodes: 8192 });
    checkCatalogProfile(p, '5m');
    assert.equal(fake.requests.length, 1, 'no ProfileTypes call when the type is given');
    assert.equal(fake.requests[0].fields.label_selector, '{namespace="shop", pod="catalog-7d9f8-abcde", container="catalog"}');
    assert.equal((fake.requests[0].fields.end as number) - (fake.requests[0].fields.start as number), 300_000);
    assert.equal(fake.requests[0].fields.max_nodes, 8192);
    const explicit = await fetchPyroscopeProfile({ ...base(), start: 1_700_000_000_000, end: 1_700_000_030_000 });
    assert.equal(explicit.meta.source, 'Pyroscope: shop/catalog-7d9f8-abcde, last 30s');
    assert.deepEqual(fake.requests.at(-1)!.fields.start, 1_700_000_000_000);
  });

  test('a custom template (service_name, regex) is filled in and matched by the server', async () => {
    fake.requests.length = 0;
    const p = await fetchPyroscopeProfile({ ...base(), container: 'catalog', labelSelectorTemplate: '{service_name="${namespace}/${container}", node=~"node-.*"}' });
    assert.equal(p.totalValue, expectedFromFile().total);
    assert.equal(fake.requests.at(-1)!.fields.label_selector, '{service_name="shop/catalog", node=~"node-.*"}');
  });

  test('hostile pod names stay one exact matcher: no match-all, and a real pod of that name is found', async () => {
    // If the quote were not escaped, pod=~".*" would match every pod and return data.
    const e = await rejection(fetchPyroscopeProfile({ ...base(), pod: 'nope", pod=~".*' }), 'no-data');
    assert.match(e.message, /namespace, pod/);
    assert.ok(e.message.includes('{namespace="shop", pod="nope\\", pod=~\\".*"}'), e.message);
    const p = await fetchPyroscopeProfile({ ...base(), pod: weirdPod });
    assert.equal(p.totalValue, expectedFromFile().total);
    assert.equal(fake.requests.at(-1)!.status, 200);
  });

  test('no data for the selector is a clear no-data error naming the selector and labels', async () => {
    const e = await rejection(fetchPyroscopeProfile({ ...base(), container: 'sidecar' }), 'no-data');
    assert.match(e.message, /container="sidecar"/);
    assert.match(e.message, /podProfiler\.pyroscope\.labelSelector/);
    assert.match(e.message, /last 1m/);
    await rejection(fetchPyroscopeProfile({ ...base(), namespace: 'other' }), 'no-data');
  });

  test('profile types and label values', async () => {
    const types = await listPyroscopeProfileTypes({ transport }, { start: 1, end: 2 });
    assert.ok(types.some((t) => t.ID === 'process_cpu:cpu:nanoseconds:cpu:nanoseconds' && t.name === 'process_cpu' && t.sample_type === 'cpu' && t.period_unit === 'nanoseconds'));
    assert.deepEqual(await listPyroscopeLabelValues({ transport }, 'pod', ['{namespace="shop", container="catalog"}'], { start: 1, end: 2 }), ['catalog-7d9f8-abcde']);
    assert.deepEqual(await listPyroscopeLabelValues({ transport }, 'namespace', [], { start: 1, end: 2 }), ['shop']);
  });

  test('a server with no CPU type: no-data listing what it has', async () => {
    const mem = await FakePyroscope.start({ profile: fixture, series: [catalogSeries], profileTypes: ['memory:inuse_space:bytes:space:bytes'] });
    try {
      const e = await rejection(fetchPyroscopeProfile({ ...base(), transport: directTransport({ url: mem.url }) }), 'no-data');
      assert.match(e.message, /memory:inuse_space:bytes:space:bytes/);
      assert.match(e.message, /podProfiler\.pyroscope\.profileType/);
    } finally {
      await mem.close();
    }
  });

  test('not Pyroscope at that address: not-found (404 text, HTML page)', async () => {
    try {
      fake.mode = 'not-pyroscope';
      const e = await rejection(fetchPyroscopeProfile(base()), 'not-found');
      assert.match(e.message, /404 page not found/);
      assert.match(e.message, /podProfiler\.pyroscope\.url/);
      fake.mode = 'html';
      const h = await rejection(fetchPyroscopeProfile(base()), 'not-found');
      assert.match(h.message, /text\/html/);
    } finally {
      fake.mode = 'normal';
    }
  });

  test('a cut-off body and a garbage body are bad-response', async () => {
    try {
      fake.mode = 'truncated';
      const e = await rejection(fetchPyroscopeProfile({ ...base(), profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds' }), 'bad-response');
      assert.match(e.message, /broke off its answer after \d+ bytes of \d+/);
      fake.mode = 'garbage';
      const g = await rejection(fetchPyroscopeProfile(base()), 'bad-response');
      assert.match(g.message, /SelectMergeProfile/);
    } finally {
      fake.mode = 'normal';
    }
  });

  test('unavailable, refused, bad URL, bad template, bad type', async () => {
    try {
      fake.mode = 'unavailable';
      const u = await rejection(fetchPyroscopeProfile(base()), 'unreachable');
      assert.match(u.message, /too many unhealthy instances/);
    } finally {
      fake.mode = 'normal';
    }
    const port = await closedLocalPort();
    const r = await rejection(fetchPyroscopeProfile({ ...base(), transport: directTransport({ url: `http://127.0.0.1:${port}` }) }), 'unreachable');
    assert.match(r.message, /connection refused/);
    assert.throws(() => directTransport({ url: 'pyroscope:4040' }), (e: unknown) => isPyroscopeError(e) && e.kind === 'bad-input');
    assert.throws(() => directTransport({ url: 'http://user:s3cretpass@127.0.0.1:4040' }), (e: unknown) => isPyroscopeError(e) && e.kind === 'bad-input' && !e.message.includes('s3cretpass'));
    await rejection(fetchPyroscopeProfile({ ...base(), labelSelectorTemplate: '{pod=${pod}}' }), 'bad-input');
    await rejection(fetchPyroscopeProfile({ ...base(), profileType: 'cpu' }), 'bad-input');
    await rejection(fetchPyroscopeProfile({ ...base(), windowSeconds: 0 }), 'bad-input');
  });

  test('timeout: a slow server is given up on at the deadline and its request is closed', async () => {
    const slow = await FakePyroscope.start({ profile: fixture, series: [catalogSeries], delayMs: 5000 });
    try {
      const t0 = Date.now();
      const e = await rejection(fetchPyroscopeProfile({ ...base(), transport: directTransport({ url: slow.url }), timeoutMs: 300 }), 'timeout');
      const took = Date.now() - t0;
      assert.ok(took >= 280 && took < 2000, `gave up after ${took} ms`);
      assert.match(e.message, /0\.3 s/);
      await waitFor(() => slow.active === 0, 'the slow request to be closed');
    } finally {
      await slow.close();
    }
  });

  test('cancellation: abort mid-call and before the call; nothing hangs', async () => {
    try {
      fake.mode = 'hang';
      const ac = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ac.abort(), 100);
      await rejection(fetchPyroscopeProfile({ ...base(), signal: ac.signal }), 'cancelled');
      assert.ok(Date.now() - t0 < 1500);
      await waitFor(() => fake.active === 0, 'the hanging request to be closed');
      fake.requests.length = 0;
      const done = new AbortController();
      done.abort();
      await rejection(fetchPyroscopeProfile({ ...base(), signal: done.signal }), 'cancelled');
      assert.equal(fake.requests.length, 0, 'nothing sent after an abort');
    } finally {
      fake.mode = 'normal';
    }
  });
});

describe('Pyroscope credentials and tenants (direct)', () => {
  const user = '918273';
  const token = 'glc_eyJvIjoiMTIzNDU2IiwibiI6InRlc3QifQ_SECRET_TOKEN_VALUE';
  const authorization = `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
  let fake: FakePyroscope;
  before(async () => {
    fake = await FakePyroscope.start({ profile: fixture, series: [catalogSeries], authorization, tenant: 'team-a' });
  });
  after(() => fake?.close());
  const req = (t: PyroscopeTransport): PyroscopeProfileRequest => ({ transport: t, namespace: 'shop', pod: 'catalog-7d9f8-abcde', timeoutMs: 5000 });

  test('no credentials, wrong credentials: unauthenticated, and the secret never shows', async () => {
    const none = await rejection(fetchPyroscopeProfile(req(directTransport({ url: fake.url, tenant: 'team-a' }))), 'unauthenticated');
    assert.match(none.message, /no credentials were sent/);
    assert.match(none.message, /Pod Profiler: Set Pyroscope Credentials/);
    const wrongAuth = `Basic ${Buffer.from(`${user}:${token}-old`).toString('base64')}`;
    const wrong = await rejection(fetchPyroscopeProfile(req(directTransport({ url: fake.url, tenant: 'team-a', authorization: wrongAuth }))), 'unauthenticated');
    assert.match(wrong.message, /with the stored credentials/);
    fake.options.authFailureStyle = 'plain';
    const plain = await rejection(fetchPyroscopeProfile(req(directTransport({ url: fake.url, tenant: 'team-a', authorization: wrongAuth }))), 'unauthenticated');
    assert.match(plain.message, /invalid authentication credentials/);
    fake.options.authFailureStyle = 'connect';
  });

  test('right credentials but no tenant: the X-Scope-OrgID hint; with both: the profile', async () => {
    const e = await rejection(fetchPyroscopeProfile(req(directTransport({ url: fake.url, authorization }))), 'unauthenticated');
    assert.match(e.message, /no org id/);
    assert.match(e.message, /podProfiler\.pyroscope\.tenantId/);
    fake.requests.length = 0;
    const p = await fetchPyroscopeProfile(req(directTransport({ url: fake.url, authorization, tenant: 'team-a' })));
    assert.equal(p.totalValue, expectedFromFile().total);
    assert.ok(fake.requests.every((r) => r.hadAuthorization && r.tenant === 'team-a'));
    // Another tenant simply has no data.
    await rejection(fetchPyroscopeProfile(req(directTransport({ url: fake.url, authorization, tenant: 'team-b' }))), 'no-data');
    assert.throws(() => directTransport({ url: fake.url, tenant: 'a b' }), (x: unknown) => isPyroscopeError(x) && x.kind === 'bad-input');
  });

  after(() => {
    for (const m of messages) {
      assert.ok(!m.includes(token), `token leaked: ${m}`);
      assert.ok(!m.includes(authorization), `authorization leaked: ${m}`);
      assert.ok(!m.includes(authorization.slice(6)), `basic credentials leaked: ${m}`);
    }
  });
});

describe('Pyroscope through the API server service proxy', () => {
  let fc: FakeCluster;
  let kc: KubeConfig;
  let scratch: string;
  const svc = parseServiceRef('pyroscope/pyroscope:4040');
  const base = (): PyroscopeProfileRequest => ({ transport: serviceProxyTransport({ kc, service: svc }), namespace: 'shop', pod: 'catalog-7d9f8-abcde', timeoutMs: 10_000 });

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'pyroscope-proxy-test-'));
    fc = await startFakeCluster({ profile: fixture, pyroscope: true });
    kc = loadKubeConfig(fc.state.kubeconfigPath).kc;
  });
  after(async () => {
    await fc?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('the same profile and numbers as straight to the fake, over POSTs the API server authorized', async () => {
    fc.api.requests.length = 0;
    const p = await fetchPyroscopeProfile(base());
    checkCatalogProfile(p, '1m');
    const proxied = fc.api.requests.filter((r) => r.path.includes('/proxy/'));
    assert.deepEqual(
      proxied.map((r) => [r.method, r.path, r.authorized, r.status]),
      [
        ['POST', '/api/v1/namespaces/pyroscope/services/pyroscope:4040/proxy/querier.v1.QuerierService/ProfileTypes', true, 200],
        ['POST', '/api/v1/namespaces/pyroscope/services/pyroscope:4040/proxy/querier.v1.QuerierService/SelectMergeProfile', true, 200],
      ],
    );
    // The Connect headers reach Pyroscope; the kubeconfig's bearer token does not.
    const upstream = fc.pyroscope!.requests.at(-1)!;
    assert.equal(upstream.contentType, 'application/proto');
    assert.equal(upstream.connectProtocolVersion, '1');
    assert.equal(upstream.hadAuthorization, false);
    assert.equal(upstream.fields.label_selector, '{namespace="shop", pod="catalog-7d9f8-abcde"}');
  });

  test('the tenant header passes through the proxy', async () => {
    fc.pyroscope!.options.tenant = 'team-a';
    try {
      const e = await rejection(fetchPyroscopeProfile(base()), 'unauthenticated');
      assert.match(e.message, /drops Authorization headers/);
      const p = await fetchPyroscopeProfile({ ...base(), transport: serviceProxyTransport({ kc, service: svc, tenant: 'team-a' }) });
      assert.equal(p.totalValue, expectedFromFile().total);
      assert.equal(fc.pyroscope!.requests.at(-1)!.tenant, 'team-a');
    } finally {
      fc.pyroscope!.options.tenant = undefined;
    }
  });

  test('wrong service, wrong port, not Pyroscope behind the service', async () => {
    const noSvc = await rejection(fetchPyroscopeProfile({ ...base(), transport: serviceProxyTransport({ kc, service: parseServiceRef('monitoring/pyroscope:4040') }) }), 'not-found');
    assert.match(noSvc.message, /no service "pyroscope" in namespace "monitoring"/);
    const port = await rejection(fetchPyroscopeProfile({ ...base(), transport: serviceProxyTransport({ kc, service: parseServiceRef('pyroscope/pyroscope:9999') }) }), 'unreachable');
    assert.match(port.message, /no endpoints|no ready pods/);
    // The catalog service's port 80 is a Go server without Pyroscope: 404 page not found.
    const plain = await rejection(fetchPyroscopeProfile({ ...base(), transport: serviceProxyTransport({ kc, service: parseServiceRef('shop/catalog:http') }) }), 'not-found');
    assert.match(plain.message, /podProfiler\.pyroscope\.service/);
    assert.throws(() => parseServiceRef('pyroscope'), (e: unknown) => isPyroscopeError(e) && e.kind === 'bad-input');
    assert.deepEqual(parseServiceRef('https:mon/pyro-scope:http2'), { namespace: 'mon', name: 'pyro-scope', port: 'http2', scheme: 'https' });
  });

  test('RBAC, expired login and API server trouble', async () => {
    try {
      fc.api.setFailure('forbidden', 'proxy');
      const f = await rejection(fetchPyroscopeProfile(base()), 'forbidden');
      assert.match(f.message, /create services\/proxy/);
      assert.match(f.message, /kubectl auth can-i create services\/proxy -n pyroscope/);
      fc.api.setFailure('unauthorized', 'proxy');
      const u = await rejection(fetchPyroscopeProfile(base()), 'unauthenticated');
      assert.match(u.message, /kubeconfig|log in/i);
      fc.api.setFailure('reset', 'proxy');
      await rejection(fetchPyroscopeProfile(base()), 'unreachable');
    } finally {
      fc.api.setFailure('none', 'all');
    }
    const port = await closedLocalPort();
    const dead = loadKubeConfig(fc.state.kubeconfigPath).kc;
    dead.clusters = dead.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${port}` }));
    await rejection(fetchPyroscopeProfile({ ...base(), transport: serviceProxyTransport({ kc: dead, service: svc }) }), 'unreachable');
  });

  test('cut-off answer, timeout and cancellation through the proxy; the upstream request is closed', async () => {
    const pyro = fc.pyroscope!;
    try {
      pyro.mode = 'truncated';
      const t = await rejection(fetchPyroscopeProfile({ ...base(), profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds' }), 'bad-response');
      assert.match(t.message, /broke off/);
      pyro.mode = 'hang';
      const t0 = Date.now();
      await rejection(fetchPyroscopeProfile({ ...base(), timeoutMs: 400 }), 'timeout');
      assert.ok(Date.now() - t0 < 2500);
      await waitFor(() => pyro.active === 0, 'the proxied request to be closed after the timeout');
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      await rejection(fetchPyroscopeProfile({ ...base(), signal: ac.signal }), 'cancelled');
      await waitFor(() => pyro.active === 0, 'the proxied request to be closed after cancelling');
    } finally {
      pyro.mode = 'normal';
    }
  });

  test('the real kubectl POSTs through the same service proxy to the fake (it sends no Content-Type: 415, as connect-go answers)', async (t) => {
    if (!existsSync(kubectlPath)) return t.skip(`kubectl not found at ${kubectlPath}`);
    const body = encodeProfileTypesRequest({ start: 1_700_000_000_000, end: 1_700_000_060_000 });
    const file = join(scratch, 'profile-types.bin');
    writeFileSync(file, body);
    fc.pyroscope!.requests.length = 0;
    fc.api.requests.length = 0;
    const path = '/api/v1/namespaces/pyroscope/services/pyroscope:4040/proxy/querier.v1.QuerierService/ProfileTypes';
    const k = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        kubectlPath,
        ['--kubeconfig', fc.state.kubeconfigPath, '--cache-dir', join(scratch, 'kube-cache'), 'create', '--raw', path, '-f', file],
        { timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch } },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
      );
    });
    assert.notEqual(k.code, 0);
    assert.match(k.stderr, /UnsupportedMediaType/);
    assert.deepEqual(fc.api.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.authorized, r.status]), [[path, true, 415]]);
    const up = fc.pyroscope!.requests;
    assert.equal(up.length, 1);
    assert.equal(up[0].method, 'POST');
    assert.equal(up[0].bodyBytes, body.length, 'the whole body arrived upstream');
    assert.equal(up[0].contentType, '');
  });
});
