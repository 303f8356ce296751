// End to end over gRPC: fetchPixieProfile / listPixieClusters against the fake Vizier (real grpc-js server,
// our proto, TLS with a test CA or plaintext), streaming real eBPF stacks of the Go fixture.
// Expected numbers are computed here straight from the BCC fixture text, not from the code under test.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeVizier, type FakeVizierPod } from '../fakes/fakeVizier';
import { closedLocalPort } from '../fakes/startFakeCluster';
import { repoRoot } from '../support/repoRoot';
import { clusterForKubeContext, fetchPixieProfile, listPixieClusters, type PixieProfileRequest } from '../../src/sources/agents/pixie/pixieAgent';
import { isPixieError, type PixieError, type PixieErrorKind } from '../../src/sources/agents/pixie/pixieErrors';
import type { Profile } from '../../src/model/profile';

const goFolded = readFileSync(join(repoRoot(), 'test/fixtures/profiles/go.folded'), 'utf8');

/** The raw fixture as (frames, count) lines, parsed here independently of the product's parsers. */
function rawLines(text: string): Array<{ frames: string[]; count: number }> {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const i = l.lastIndexOf(' ');
      return { frames: l.slice(0, i).split(';'), count: parseInt(l.slice(i + 1), 10) };
    });
}

const catalog: FakeVizierPod = {
  namespace: 'shop',
  name: 'catalog-7d9f8-abcde',
  node: 'node-a1',
  container: 'catalog',
  pid: 4242,
  cmdline: '/app/catalogsrv',
  folded: goFolded,
};
const checkout: FakeVizierPod = { namespace: 'shop', name: 'checkout-5c6b7-fghij', node: 'node-b2', container: 'checkout', pid: 77, cmdline: '/app/checkout', folded: '' };

function rootToLeafPaths(p: Profile): Array<{ names: string[]; kinds: string[]; self: number }> {
  const out: Array<{ names: string[]; kinds: string[]; self: number }> = [];
  p.walk((node, stack) => {
    if (node.self > 0) out.push({ names: stack.map((n) => p.frames[n.frameId].name), kinds: stack.map((n) => p.frames[n.frameId].kind), self: node.self });
  });
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<PixieError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isPixieError(e), `expected a PixieError, got ${e instanceof Error ? e.stack : e}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

describe('Pixie agent over gRPC (TLS, through the "cloud" address)', () => {
  let fake: FakeVizier;
  let base: PixieProfileRequest;
  const messages: string[] = [];

  before(async () => {
    fake = await FakeVizier.start({ pods: [catalog, checkout], tls: true, rowsPerBatch: 25 });
    base = {
      address: fake.state.address,
      cloudTls: { caPem: fake.state.caPem, serverName: 'localhost' },
      apiKey: fake.state.apiKey,
      clusterId: fake.state.clusterId,
      namespace: 'shop',
      pod: 'catalog-7d9f8-abcde',
      timeoutMs: 10_000,
    };
  });
  after(async () => {
    // Neither key ever reached a message the user could see.
    for (const m of messages) {
      assert.ok(!m.includes(fake.state.apiKey), `key leaked: ${m}`);
      assert.ok(!m.includes('px-api-WRONG-0123456789'), `wrong key leaked: ${m}`);
    }
    await fake.close();
  });

  const expectError = async (kind: PixieErrorKind, req: Partial<PixieProfileRequest>, mode = fake?.mode): Promise<PixieError> => {
    fake.mode = mode ?? 'ok';
    try {
      const err = await rejection(fetchPixieProfile({ ...base, ...req }));
      messages.push(err.message);
      assert.equal(err.kind, kind, `wrong kind for: ${err.message}`);
      return err;
    } finally {
      fake.mode = 'ok';
    }
  };

  test('total samples equal the sum of counts in the fixture; batches span many messages', async () => {
    const profile = await fetchPixieProfile(base);
    const lines = rawLines(goFolded);
    const expected = lines.reduce((s, l) => s + l.count, 0);
    assert.ok(expected > 100, `fixture has ${expected} samples`);
    assert.equal(profile.totalValue, expected);
    const distinct = new Set(lines.map((l) => l.frames.slice(1).join(';'))).size;
    assert.ok(distinct > 25 * 3, `the fixture's ${distinct} distinct stacks need several batches of 25`);
    assert.equal(profile.meta.unit, 'samples');
    assert.match(profile.meta.source, /shop\/catalog-7d9f8-abcde/);
    assert.equal(profile.meta.durationNanos, 30e9);

    const last = fake.scripts.at(-1)!;
    assert.equal(last.table, 'stack_traces.beta');
    assert.equal(last.podFilter, 'shop/catalog-7d9f8-abcde');
    assert.equal(last.window, '-30s');
    assert.equal(last.clusterId, fake.state.clusterId);
    assert.equal(last.authorized, true);
  });

  test('Kubernetes frames sit on top of every stack, in Pixie order, kind k8s', async () => {
    const profile = await fetchPixieProfile(base);
    const top = ['node: node-a1', 'namespace: shop', 'pod: catalog-7d9f8-abcde', 'container: catalog', 'pid: 4242'];
    const paths = rootToLeafPaths(profile);
    assert.ok(paths.length > 0);
    for (const p of paths) {
      assert.deepEqual(p.names.slice(0, 5), top);
      assert.deepEqual(p.kinds.slice(0, 5), ['k8s', 'k8s', 'k8s', 'k8s', 'k8s']);
      assert.ok(!p.kinds.slice(5).includes('k8s'), `no context frame below the pid: ${p.names.join(';')}`);
      assert.ok(!p.names.includes('catalogsrv'), 'the BCC process-name root is gone');
    }
    // Below the context frames come the fixture's first real frames (its second column).
    const firstReal = new Set(rawLines(goFolded).map((l) => l.frames[1].replace(/_\[k\]$/, '')));
    assert.deepEqual(new Set(paths.map((p) => p.names[5])), firstReal);
    assert.equal(profile.root.children.size, 1);
  });

  test('kernel frames are classified and carry no marker; self samples per stack match the fixture', async () => {
    const profile = await fetchPixieProfile(base);
    const lines = rawLines(goFolded);
    const kernelNames = new Set(lines.flatMap((l) => l.frames.filter((f) => f.endsWith('_[k]')).map((f) => f.slice(0, -4))));
    assert.ok(kernelNames.has('do_syscall_64'));
    const profKernel = new Set(profile.frames.filter((f) => f.kind === 'kernel').map((f) => f.name));
    assert.deepEqual([...profKernel].sort(), [...kernelNames].sort());
    assert.ok(profile.frames.every((f) => !f.name.startsWith('[k] ') && !f.name.endsWith('_[k]')));

    const kernelLeafSamples = lines.filter((l) => l.frames.at(-1)!.endsWith('_[k]')).reduce((s, l) => s + l.count, 0);
    const profKernelLeaf = rootToLeafPaths(profile)
      .filter((p) => p.kinds.at(-1) === 'kernel')
      .reduce((s, p) => s + p.self, 0);
    assert.equal(profKernelLeaf, kernelLeafSamples);

    // The story's hot path: samples with parseCatalog on the stack.
    const hot = 'main.(*productCatalog).parseCatalog';
    const expectedHot = lines.filter((l) => l.frames.includes(hot)).reduce((s, l) => s + l.count, 0);
    const gotHot = rootToLeafPaths(profile)
      .filter((p) => p.names.includes(hot))
      .reduce((s, p) => s + p.self, 0);
    assert.equal(gotHot, expectedHot);
    assert.ok(expectedHot > profile.totalValue / 2, 'parseCatalog dominates the fixture');
  });

  test('window and container choices reach the script', async () => {
    const p5 = await fetchPixieProfile({ ...base, window: '5m' });
    assert.equal(fake.scripts.at(-1)!.window, '-5m');
    assert.equal(p5.meta.durationNanos, 300e9);
    const withContainer = await fetchPixieProfile({ ...base, window: '-1m', container: 'catalog' });
    assert.equal(fake.scripts.at(-1)!.containerFilter, 'catalog');
    assert.equal(withContainer.totalValue, rawLines(goFolded).reduce((s, l) => s + l.count, 0));
    await expectError('no-samples', { container: 'sidecar' });
  });

  test('bad or missing API key: auth error naming the command, key never shown', async () => {
    const wrong = await expectError('auth', { apiKey: 'px-api-WRONG-0123456789' });
    assert.match(wrong.message, /Pod Profiler: Set Pixie API Key/);
    assert.ok(fake.scripts.at(-1)!.authorized === false);
    const missing = await expectError('auth', { apiKey: '' });
    assert.match(missing.message, /Set Pixie API Key/);
  });

  test('unknown cluster (server NOT_FOUND, and a malformed id caught before sending)', async () => {
    const e = await expectError('unknown-cluster', { clusterId: '11111111-2222-4333-8444-555555555555' });
    assert.match(e.message, /not found/);
    const n = fake.scripts.length;
    const bad = await expectError('unknown-cluster', { clusterId: 'my-cluster' });
    assert.match(bad.message, /not a Pixie cluster id/);
    assert.equal(fake.scripts.length, n, 'nothing was sent');
    await expectError('unknown-cluster', {}, 'unknown-cluster');
  });

  test('cluster disconnected', async () => {
    const e = await expectError('cluster-disconnected', {}, 'cluster-disconnected');
    assert.match(e.message, /not connected/);
  });

  test("script error status: Vizier's compiler message with its line", async () => {
    const e = await expectError('script', {}, 'script-error');
    assert.match(e.message, /Table 'stack_traces\.beta' not found/);
    assert.match(e.message, /line 4:6/);
  });

  test('no samples for the pod in the window: says what to try', async () => {
    const e = await expectError('no-samples', { pod: 'checkout-5c6b7-fghij' });
    assert.match(e.message, /shop\/checkout-5c6b7-fghij/);
    assert.match(e.message, /longer window/);
    assert.match(e.message, /symbols|language/);
    await expectError('no-samples', {}, 'no-rows');
  });

  test('timeout when Vizier never answers; the server sees the call end', async () => {
    const t0 = Date.now();
    const e = await expectError('timeout', { timeoutMs: 400 }, 'hang');
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    assert.match(e.message, /did not answer/);
    await waitFor(() => fake.active === 0, 'server call ended');
  });

  test('cancellation is prompt and ends the server call', async () => {
    fake.mode = 'hang';
    const ac = new AbortController();
    const p = fetchPixieProfile({ ...base, signal: ac.signal, timeoutMs: 30_000 });
    await waitFor(() => fake.active === 1, 'call arrived');
    const t0 = Date.now();
    ac.abort();
    const e = await rejection(p);
    fake.mode = 'ok';
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 500, `cancel took ${Date.now() - t0} ms`);
    await waitFor(() => fake.active === 0, 'server call ended');
    // Already aborted: nothing is sent.
    const n = fake.scripts.length;
    const pre = await rejection(fetchPixieProfile({ ...base, signal: AbortSignal.abort() }));
    assert.equal(pre.kind, 'cancelled');
    assert.equal(fake.scripts.length, n);
  });

  test('stream dropped mid-batch: an error, never a partial profile', async () => {
    const e = await expectError('stream-dropped', {}, 'drop-mid-batch');
    assert.match(e.message, /No partial profile/);
    const e2 = await expectError('stream-dropped', {}, 'end-without-eos');
    assert.match(e2.message, /end-of-stream|before/);
    // And the next query works again.
    const ok = await fetchPixieProfile(base);
    assert.equal(ok.totalValue, rawLines(goFolded).reduce((s, l) => s + l.count, 0));
  });

  test('pod names that could inject PxL are refused before anything is sent', async () => {
    const n = fake.scripts.length;
    const e = await expectError('bad-input', { pod: "x')\npx.display(px.DataFrame(table='conn_stats'))#" });
    assert.match(e.message, /not a valid Kubernetes pod name/);
    await expectError('bad-input', { window: '-5 minutes; drop' });
    assert.equal(fake.scripts.length, n);
  });

  test('TLS: a server certificate from an unknown CA is refused', async () => {
    const e = await expectError('unreachable', { cloudTls: { serverName: 'localhost' } });
    assert.match(e.message, /Cannot reach/);
  });

  test('unreachable address', async () => {
    const port = await closedLocalPort();
    const t0 = Date.now();
    const e = await expectError('unreachable', { address: `127.0.0.1:${port}` });
    assert.ok(Date.now() - t0 < 5000);
    assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  test('cluster list from the cloud API; default cluster from the kube context', async () => {
    const clusters = await listPixieClusters({ address: base.address, cloudTls: base.cloudTls, apiKey: base.apiKey });
    assert.equal(clusters.length, 2);
    assert.equal(clusters[0].id, fake.state.clusterId);
    assert.equal(clusters[0].status, 'CS_HEALTHY');
    assert.equal(clusters[0].passthrough, true);
    assert.equal(clusters[1].status, 'CS_DISCONNECTED');
    assert.equal(clusterForKubeContext(clusters, 'fake-shop')?.id, fake.state.clusterId);
    assert.equal(clusterForKubeContext(clusters, 'gke_acme_europe-west1_staging')?.prettyName, 'staging');
    assert.equal(clusterForKubeContext(clusters, 'minikube'), undefined);
    const err = await rejection(listPixieClusters({ address: base.address, cloudTls: base.cloudTls, apiKey: 'px-api-WRONG-0123456789' }));
    messages.push(err.message);
    assert.equal(err.kind, 'auth');
  });
});

describe('Pixie agent direct to a plaintext Vizier', () => {
  let fake: FakeVizier;
  before(async () => {
    fake = await FakeVizier.start({ pods: [catalog], tls: false, rowsPerBatch: 7 });
  });
  after(async () => fake.close());

  test('same totals over plaintext with small batches', async () => {
    const profile = await fetchPixieProfile({
      apiKey: fake.state.apiKey,
      clusterId: fake.state.clusterId,
      direct: { address: fake.state.address, plaintext: true },
      namespace: 'shop',
      pod: 'catalog-7d9f8-abcde',
      window: '-1m',
    });
    assert.equal(profile.totalValue, rawLines(goFolded).reduce((s, l) => s + l.count, 0));
    assert.equal(fake.scripts.at(-1)!.window, '-1m');
  });
});

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
