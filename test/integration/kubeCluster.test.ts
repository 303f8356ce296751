// Cluster access against the fake API server (HTTPS, test CA, bearer token), and proof that the fake speaks
// the real wire protocol: the real kubectl lists the same namespaces/pods and fetches the same proxy bytes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from '../../src/sources/cluster/clusterClient';
import { ClusterError } from '../../src/sources/cluster/clusterErrors';
import { kubeConfigForContext, loadKubeConfig } from '../../src/sources/cluster/kubeContexts';
import { proxyGet } from '../../src/sources/cluster/apiProxy';
import { choosePprofPort, fetchGoCpuProfile } from '../../src/sources/agents/goPprofAgent';
import { startFakeCluster, type FakeCluster } from '../fakes/startFakeCluster';
import { makeTestCa } from '../fakes/testCerts';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

const fixturePath = join(repoRoot(), 'test/fixtures/profiles/go-cpu.pb.gz');
const fixture = readFileSync(fixturePath);
const kubectlPath = process.env.KUBECTL ?? '/usr/bin/kubectl';
const msPerSecond = 50;

let fc: FakeCluster;
let scratch: string;
let kc: KubeConfig;
/** Every ClusterError message seen, checked for the token at the end. */
const messages: string[] = [];

async function expectClusterError(p: Promise<unknown>, kind: ClusterError['kind']): Promise<ClusterError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterError, `expected a ClusterError, got ${e instanceof Error ? e.stack : e}`);
    messages.push(e.message);
    assert.equal(e.kind, kind, `kind of: ${e.message}`);
    return e;
  }
  assert.fail(`expected a ClusterError of kind ${kind}, but it succeeded`);
}

const kubectlMissing =
  `kubectl not found at ${kubectlPath}. The fake API server is only trusted because the real kubectl is run against it: ` +
  `install kubectl (CI does) or point the KUBECTL environment variable at it.`;

function kubectl(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  assert.ok(existsSync(kubectlPath), kubectlMissing);
  return new Promise((resolve) => {
    execFile(
      kubectlPath,
      ['--kubeconfig', fc.state.kubeconfigPath, '--cache-dir', join(scratch, 'kube-cache'), ...args],
      { encoding: 'buffer', timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr: stderr.toString() }),
    );
  });
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'kube-cluster-test-'));
  fc = await startFakeCluster({ profile: fixture, msPerSecond });
  kc = loadKubeConfig(fc.state.kubeconfigPath).kc;
});

after(async () => {
  await fc?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('kubeconfig contexts', () => {
  test('lists contexts with the current one first, from an explicit path and from KUBECONFIG', () => {
    const loaded = loadKubeConfig(fc.state.kubeconfigPath);
    // The file lists "staging" first; the current context "fake-shop" must still come first.
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.cluster, c.user, c.namespace, c.current]),
      [
        ['fake-shop', 'fake-cluster', 'fake-user', 'shop', true],
        ['staging', 'staging-cluster', 'fake-user', 'default', false],
      ],
    );
    assert.equal(loaded.contexts[0].server, fc.api.url);
    assert.equal(loaded.currentContext, 'fake-shop');
    const fromEnv = loadKubeConfig(undefined, { KUBECONFIG: `${join(scratch, 'missing')}:${fc.state.kubeconfigPath}` });
    assert.deepEqual(fromEnv.files, [fc.state.kubeconfigPath]);
    assert.equal(fromEnv.contexts[0].name, 'fake-shop');
  });

  test('a missing kubeconfig is a config error that says where it looked', async () => {
    const missing = join(scratch, 'nope', 'config');
    const e = await expectClusterError(Promise.resolve().then(() => loadKubeConfig(missing)), 'config');
    assert.match(e.message, /nope\/config/);
    assert.match(e.message, /podProfiler\.kubeconfigPath/);
    await expectClusterError(Promise.resolve().then(() => kubeConfigForContext(kc, 'prod')), 'config');
  });
});

describe('listing through our client matches kubectl', () => {
  test('namespaces', async () => {
    const ours = await new ClusterClient(kc, 'fake-shop').listNamespaces();
    const k = await kubectl(['get', 'ns', '-o', 'name']);
    assert.equal(k.code, 0, k.stderr);
    const theirs = k.stdout.toString().trim().split('\n').map((l) => l.replace(/^namespace\//, '')).sort();
    assert.deepEqual(ours, theirs);
    assert.ok(ours.includes('shop'));
  });

  test('pods with phase, node, IP, containers and annotations', async () => {
    const pods = await new ClusterClient(kc).listPods('shop');
    assert.deepEqual(
      pods.map((p) => p.name),
      fc.state.pods.map((p) => p.name).sort(),
    );
    const catalog = pods.find((p) => p.name === 'catalog-7d9f8-abcde')!;
    assert.equal(catalog.phase, 'Running');
    assert.equal(catalog.nodeName, 'node-a1');
    assert.equal(catalog.podIP, '10.244.1.7');
    assert.equal(catalog.annotations['podprofiler.dev/pprof-port'], '6060');
    assert.equal(catalog.labels.app, 'catalog');
    assert.deepEqual(catalog.containers, [
      { name: 'catalog', image: 'registry.example/shop/catalog:1.4.2', ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] },
    ]);
    const ageHours = (Date.now() - catalog.createdAt!.getTime()) / 3_600_000;
    assert.ok(ageHours > 50 && ageHours < 52, `catalog is 2d3h old, got ${ageHours} h`);
    assert.deepEqual(await new ClusterClient(kc).getPod('shop', catalog.name), catalog);
    await expectClusterError(new ClusterClient(kc).getPod('shop', 'nope-1'), 'not-found');
    const loadgen = pods.find((p) => p.name === 'loadgen-0')!;
    assert.equal(loadgen.phase, 'Pending');
    assert.equal(loadgen.nodeName, undefined);
    assert.equal(loadgen.podIP, undefined);

    // kubectl's -o wide columns (from the server-side Table) say the same.
    const k = await kubectl(['get', 'pods', '-o', 'wide', '-n', 'shop']);
    assert.equal(k.code, 0, k.stderr);
    const lines = k.stdout.toString().trim().split('\n');
    assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    const rows = new Map(lines.slice(1).map((l) => [l.split(/\s+/)[0], l.split(/\s{2,}/)]));
    assert.equal(rows.size, pods.length);
    for (const p of pods) {
      const cells = rows.get(p.name);
      assert.ok(cells, `kubectl shows ${p.name}`);
      assert.equal(cells[2], p.phase);
      assert.equal(cells[5], p.podIP ?? '<none>');
      assert.equal(cells[6], p.nodeName ?? '<none>');
    }
    assert.equal(rows.get('catalog-7d9f8-abcde')![4], '2d3h');
    // kubectl asked for Tables and went through legacy discovery like against a real server.
    const asked = fc.api.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/shop/pods?'));
    assert.ok(asked.some((r) => /as=Table;v=v1;g=meta\.k8s\.io/.test(r.accept)));
    assert.ok(fc.api.requests.some((r) => r.path.startsWith('/api/v1?') || r.path === '/api/v1'));
  });
});

describe('pprof through the API server proxy', () => {
  test('proxyGet returns the recorded profile byte for byte, and so does kubectl get --raw', async () => {
    const path = '/api/v1/namespaces/shop/pods/catalog-7d9f8-abcde:6060/proxy/debug/pprof/profile?seconds=1';
    const ours = await proxyGet(kc, path, { timeoutMs: 10_000 });
    assert.equal(ours.length, fixture.length);
    assert.ok(ours.equals(fixture));
    const k = await kubectl(['get', '--raw', path]);
    assert.equal(k.code, 0, k.stderr);
    assert.ok(k.stdout.equals(fixture), `kubectl got ${k.stdout.length} bytes, fixture has ${fixture.length}`);
    // The query survived the proxy (the generated client's encoding would lose it).
    assert.equal(fc.pprof.requests.at(-1)?.path, '/debug/pprof/profile?seconds=1');
  });

  test('the service proxy form reaches the same pod', async () => {
    const body = await proxyGet(kc, { kind: 'services', namespace: 'shop', name: 'catalog', port: 'pprof', path: '/debug/pprof/profile?seconds=1' });
    assert.ok(body.equals(fixture));
  });

  test('fetchGoCpuProfile with the port chosen from annotation or named container port', async () => {
    const pods = await new ClusterClient(kc).listPods('shop');
    for (const name of ['catalog-7d9f8-abcde', 'checkout-5c6b7-fghij']) {
      const pod = pods.find((p) => p.name === name)!;
      const choice = choosePprofPort(pod, 6060);
      const expected = fc.state.pods.find((p) => p.name === name)!;
      assert.equal(choice.port, expected.pprofPort);
      assert.equal(choice.source, expected.pprofPortDeclaredBy);
      const started = Date.now();
      const bytes = await fetchGoCpuProfile({ kc, namespace: 'shop', pod: name, port: choice.port, seconds: 4 });
      assert.ok(Buffer.from(bytes).equals(fixture));
      // The upstream honoured ?seconds=4 (scaled to msPerSecond).
      assert.ok(Date.now() - started >= 4 * msPerSecond - 5);
      assert.equal(fc.pprof.requests.at(-1)?.seconds, 4);
    }
  });

  test('credentials from an exec plugin (async applyToHTTPSOptions) work', async () => {
    const execKc = kubeConfigWithUser({
      name: 'exec-user',
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'sh',
        args: ['-c', `printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' "$FAKE_TOKEN"`],
        env: [{ name: 'FAKE_TOKEN', value: fc.api.token }],
      },
    });
    assert.deepEqual(await new ClusterClient(execKc).listNamespaces().then((n) => n.includes('shop')), true);
  });
});

test('a plain-http server (kubectl proxy) gets the request without credentials', async () => {
  const { createServer } = await import('node:http');
  const seen: Array<{ url?: string; auth?: string }> = [];
  const srv = createServer((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization });
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(fixture);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const port = (srv.address() as { port: number }).port;
    const local = kubeConfigWithUser({ name: 'u', token: fc.api.token }, fc.api.ca.cert, `http://127.0.0.1:${port}`);
    const body = await proxyGet(local, { namespace: 'shop', name: 'catalog-7d9f8-abcde', port: 6060, path: '/debug/pprof/profile?seconds=1' });
    assert.ok(body.equals(fixture));
    assert.deepEqual(seen, [{ url: '/api/v1/namespaces/shop/pods/catalog-7d9f8-abcde:6060/proxy/debug/pprof/profile?seconds=1', auth: undefined }]);
  } finally {
    srv.close();
  }
});

function kubeConfigWithUser(user: Record<string, unknown>, caPem: string = fc.api.ca.cert, server = fc.api.url): KubeConfig {
  const k = new KubeConfig();
  k.loadFromOptions({
    clusters: [{ name: 'c', server, caData: Buffer.from(caPem).toString('base64'), skipTLSVerify: false }],
    users: [user],
    contexts: [{ name: 'ctx', cluster: 'c', user: user.name as string }],
    currentContext: 'ctx',
  });
  return k;
}

describe('failures become ClusterErrors that say what to do', () => {
  const catalog = { namespace: 'shop', pod: 'catalog-7d9f8-abcde', port: 6060, seconds: 1 };

  test('401: unauthorized, log in again; kubectl agrees', async () => {
    fc.api.setFailure('unauthorized');
    try {
      const e = await expectClusterError(new ClusterClient(kc).listPods('shop'), 'unauthorized');
      assert.equal(e.status, 401);
      assert.match(e.message, /401/);
      assert.match(e.message, /log in again/i);
      assert.ok(e.message.includes(fc.api.url), 'names the server');
      const k = await kubectl(['get', 'pods', '-n', 'shop']);
      assert.notEqual(k.code, 0);
      assert.match(k.stderr, /Unauthorized/);
    } finally {
      fc.api.setFailure('none');
    }
    // A wrong token (not a failure mode): the fake checks the header for real.
    const wrong = kubeConfigWithUser({ name: 'u', token: 'wrong-token-123456' });
    const e = await expectClusterError(new ClusterClient(wrong).listNamespaces(), 'unauthorized');
    assert.ok(!e.message.includes('wrong-token-123456'));
  });

  test('failing exec credential plugin: unauthorized with a login hint', async () => {
    const broken = kubeConfigWithUser({
      name: 'sso',
      exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'sh', args: ['-c', 'echo "SSO session expired" >&2; exit 1'] },
    });
    const e = await expectClusterError(new ClusterClient(broken).listNamespaces(), 'unauthorized');
    assert.match(e.message, /SSO session expired/);
    assert.match(e.message, /log in again/i);
  });

  test('403 on pods/proxy names verb, resource and namespace; 403 on list names list pods', async () => {
    fc.api.setFailure('forbidden', 'proxy');
    try {
      const e = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog }), 'forbidden');
      assert.equal(e.status, 403);
      assert.match(e.message, /`get pods\/proxy` in namespace "shop"/);
      assert.match(e.message, /kubectl auth can-i get pods\/proxy -n shop/);
      // Listing still works: only the proxy is forbidden.
      assert.equal((await new ClusterClient(kc).listPods('shop')).length, fc.state.pods.length);
      fc.api.setFailure('forbidden', 'api');
      const l = await expectClusterError(new ClusterClient(kc).listPods('shop'), 'forbidden');
      assert.match(l.message, /`list pods` in namespace "shop"/);
      const n = await expectClusterError(new ClusterClient(kc).listNamespaces(), 'forbidden');
      assert.match(n.message, /`list namespaces` cluster-wide/);
    } finally {
      fc.api.setFailure('none');
    }
  });

  test('404 from the pod: not-found explaining the pprof port and the annotation', async () => {
    // frontend's port 8080 is a Go server without net/http/pprof.
    const e = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog, pod: 'frontend-66b8d-klmno', port: 8080 }), 'not-found');
    assert.equal(e.status, 404);
    assert.match(e.message, /port 8080/);
    assert.match(e.message, /\/debug\/pprof/);
    assert.match(e.message, /podprofiler\.dev\/pprof-port/);
  });

  test('nothing listening on the port, and a pod that is gone', async () => {
    const refused = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog, pod: 'frontend-66b8d-klmno', port: 6060 }), 'not-found');
    assert.match(refused.message, /Nothing listens on port 6060 of pod "frontend-66b8d-klmno"/);
    assert.match(refused.message, /podprofiler\.dev\/pprof-port/);
    const gone = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog, pod: 'catalog-7d9f8-zzzzz' }), 'not-found');
    assert.match(gone.message, /pod "catalog-7d9f8-zzzzz" in namespace "shop" was not found/i);
  });

  test('unreachable API server (closed port) names the server URL', async () => {
    const e = await expectClusterError(new ClusterClient(kc, 'staging').listNamespaces(), 'unreachable');
    assert.ok(e.message.includes(`https://127.0.0.1:${fc.closedPort}`), e.message);
    assert.match(e.message, /connection refused/);
  });

  test('connection reset by the server: unreachable', async () => {
    fc.api.setFailure('reset');
    try {
      const e = await expectClusterError(new ClusterClient(kc).listNamespaces(), 'unreachable');
      assert.match(e.message, /reset/);
    } finally {
      fc.api.setFailure('none');
    }
  });

  test('a server certificate from another CA: tls', async () => {
    const otherCa = await makeTestCa('some-other-ca');
    const e = await expectClusterError(new ClusterClient(kubeConfigWithUser({ name: 'u', token: fc.api.token }, otherCa.cert)).listNamespaces(), 'tls');
    assert.match(e.message, /certificate/i);
  });

  test('hanging upstream: timeout after seconds + grace, not forever', async () => {
    fc.pprof.mode = 'hang';
    try {
      const started = Date.now();
      const e = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog, seconds: 1, graceMs: 300 }), 'timeout');
      const took = Date.now() - started;
      assert.ok(took >= 1300 && took < 3000, `timed out after ${took} ms (expected 1 s + 300 ms grace)`);
      assert.match(e.message, /within 1\.3 s/);
    } finally {
      fc.pprof.mode = 'normal';
    }
  });

  test('hanging API server: list times out', async () => {
    fc.api.setFailure('hang');
    try {
      await expectClusterError(new ClusterClient(kc).listNamespaces(undefined, { timeoutMs: 300 }), 'timeout');
    } finally {
      fc.api.setFailure('none');
    }
  });

  test('AbortSignal cancels promptly and closes the upstream request', async () => {
    fc.pprof.mode = 'hang';
    try {
      const ac = new AbortController();
      const started = Date.now();
      const p = fetchGoCpuProfile({ kc, ...catalog, seconds: 30, signal: ac.signal });
      setTimeout(() => ac.abort(), 150);
      await expectClusterError(p, 'cancelled');
      const took = Date.now() - started;
      assert.ok(took < 600, `cancel took ${took} ms`);
      // The fake API server noticed and dropped its upstream request to the pod.
      for (let i = 0; i < 50 && fc.pprof.active > 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(fc.pprof.active, 0, 'upstream request still open after cancel');
      // An already aborted signal never sends anything.
      const before = fc.api.requests.length;
      await expectClusterError(new ClusterClient(kc).listNamespaces(AbortSignal.abort()), 'cancelled');
      assert.equal(fc.api.requests.length, before);
    } finally {
      fc.pprof.mode = 'normal';
    }
  });

  test('a body over the byte cap is refused; exactly the cap is accepted', async () => {
    const e = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog, maxBytes: fixture.length - 1 }), 'too-large');
    assert.match(e.message, /limit/);
    const ok = await fetchGoCpuProfile({ kc, ...catalog, maxBytes: fixture.length });
    assert.equal(ok.length, fixture.length);
  });

  test('an upstream error text (profiling already running) is passed on', async () => {
    fc.pprof.mode = 'busy';
    try {
      const e = await expectClusterError(fetchGoCpuProfile({ kc, ...catalog }), 'bad-response');
      assert.match(e.message, /cpu profiling already in use/);
      assert.match(e.message, /500/);
    } finally {
      fc.pprof.mode = 'normal';
    }
  });

  test('API server 5xx Status: bad-response with the server message', async () => {
    fc.api.setFailure('server-error', 'api');
    try {
      const e = await expectClusterError(new ClusterClient(kc).listPods('shop'), 'bad-response');
      assert.match(e.message, /etcdserver: request timed out/);
    } finally {
      fc.api.setFailure('none');
    }
  });

  test('no error message ever contained the token', () => {
    assert.ok(messages.length >= 15, `collected ${messages.length} messages`);
    if (process.env.SHOW_MESSAGES) for (const m of messages) console.log('  message:', m);
    for (const m of messages) {
      assert.ok(!m.includes(fc.api.token), `token leaked in: ${m}`);
      assert.ok(!/Bearer\s+\S{8,}/.test(m), `credential-looking text in: ${m}`);
    }
  });
});

describe('the runnable fake cluster', () => {
  test('startFakeCluster.js writes its state file, serves kubectl, and exits on SIGTERM', async () => {
    const entry = join(repoRoot(), 'out/test/fakes/startFakeCluster.js');
    const stateFile = join(scratch, 'state.json');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [entry, '--pprof', fixturePath, '--state-file', stateFile, '--ms-per-second', '10'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      const deadline = Date.now() + 15_000;
      while (!existsSync(stateFile)) {
        assert.ok(Date.now() < deadline, `no state file after 15 s; stderr: ${stderr}`);
        assert.equal(child.exitCode, null, `exited early: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const state = JSON.parse(readFileSync(stateFile, 'utf8'));
      assert.equal(state.context, 'fake-shop');
      assert.ok(existsSync(state.kubeconfigPath));
      const client = new ClusterClient(loadKubeConfig(state.kubeconfigPath).kc);
      assert.ok((await client.listPods('shop')).some((p) => p.name === 'catalog-7d9f8-abcde'));
      const bytes = await fetchGoCpuProfile({ kc: client.kc, namespace: 'shop', pod: 'catalog-7d9f8-abcde', port: 6060, seconds: 1 });
      assert.ok(Buffer.from(bytes).equals(fixture));
      // The control endpoint switches failure modes for e2e tests.
      const r = await fetch(`${state.controlUrl}/failure?mode=forbidden&scope=proxy`, { method: 'POST' });
      assert.equal(r.status, 200);
      await expectClusterError(fetchGoCpuProfile({ kc: client.kc, namespace: 'shop', pod: 'catalog-7d9f8-abcde', port: 6060, seconds: 1 }), 'forbidden');
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
    assert.ok(!existsSync(stateFile), 'state file removed on exit');
  });
});

test('kubectl is installed (the faithfulness checks above need it)', () => {
  assert.ok(existsSync(kubectlPath), kubectlMissing);
});
