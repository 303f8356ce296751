// A whole fake cluster for integration and end-to-end tests: the fake API server, a Go-pprof-like upstream
// serving a recorded profile, and a Go-server-without-pprof upstream, with namespace `shop` and its pods.
//
// In-process:   const fc = await startFakeCluster({ profile: bytes }); ... await fc.close();
// As a process: node out/test/fakes/startFakeCluster.js --pprof FILE --state-file F
//                 [--ms-per-second N] [--dir D] [--token T] [--pyroscope] [--parca]
//   --pyroscope adds a fake Grafana Pyroscope (service pyroscope/pyroscope:4040, pod pyroscope-0) holding the
//   recorded profile for shop/catalog-7d9f8-abcde; its direct URL is the state's pyroscopeUrl. --parca the
//   same for a fake Parca (service parca/parca:7070, gRPC-Web; state.parcaUrl).
//   writes F (JSON FakeClusterState) once everything listens, prints "fake cluster ready <server>", and stays
//   up until SIGTERM/SIGINT (then removes its temp dir). The state's controlUrl accepts, for e2e error tests:
//   POST /failure?mode=none|unauthorized|forbidden|not-found|hang|reset|server-error&scope=all|proxy|api
//   POST /pprof-mode?mode=normal|hang|reset|busy      GET /requests (the API server's request log)
//   GET /parca-requests (what the fake Parca received)
//   GET /pyroscope-requests (what the fake Pyroscope received: path, headers seen, decoded fields)
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeApiServer, type FailureMode, type FailureScope, type FakePod, type FakeService } from './fakeApiServer';
import { FakePprofServer, type PprofServerMode } from './fakePprofServer';
import { FakePyroscope } from './fakePyroscope';
import { FakeParca } from './fakeParca';

export interface FakeClusterPod {
  name: string;
  namespace: string;
  phase: string;
  nodeName?: string;
  podIP?: string;
  /** Port whose upstream serves /debug/pprof (undefined: the pod has none). */
  pprofPort?: number;
  /** How that port is declared: the annotation, a named container port, or only the default 6060. */
  pprofPortDeclaredBy?: 'annotation' | 'container-port' | 'default';
}

export interface FakeClusterState {
  kubeconfigPath: string;
  /** API server URL, https://127.0.0.1:PORT */
  server: string;
  /** Current context of the kubeconfig (a second context, "staging", points at a closed port). */
  context: string;
  namespace: string;
  /** PEM of the test CA (also inside the kubeconfig). */
  caFile: string;
  /** Control endpoint (plain http on 127.0.0.1), see the header comment. Empty in-process. */
  controlUrl: string;
  pods: FakeClusterPod[];
  pid: number;
  /** Direct URL of the fake Pyroscope (only with the pyroscope option). */
  pyroscopeUrl?: string;
  /** Direct URL of the fake Parca (only with the parca option). */
  parcaUrl?: string;
}

export interface FakeCluster {
  api: FakeApiServer;
  /** Upstream serving the recorded profile. */
  pprof: FakePprofServer;
  /** Upstream of a Go server without net/http/pprof (404 everywhere). */
  plain: FakePprofServer;
  state: FakeClusterState;
  /** A port on 127.0.0.1 nothing listens on (the "staging" context's server). */
  closedPort: number;
  /** The fake Pyroscope behind service pyroscope/pyroscope:4040 (only with the pyroscope option). */
  pyroscope?: FakePyroscope;
  /** The fake Parca behind service parca/parca:7070 (only with the parca option). */
  parca?: FakeParca;
  close(): Promise<void>;
}

export interface StartFakeClusterOptions {
  /** The pprof bytes /debug/pprof/profile answers. */
  profile: Uint8Array;
  /** Directory for kubeconfig and CA (default: a new temp dir, removed by close()). */
  dir?: string;
  /** Milliseconds the upstream waits per requested profile second (default 1000: real time). */
  msPerSecond?: number;
  token?: string;
  /** Also run a fake Pyroscope (namespace/service pyroscope, port 4040) holding `profile` for the catalog pod. */
  pyroscope?: boolean;
  /** Also run a fake Parca (namespace/service parca, port 7070, gRPC-Web) holding `profile` for the catalog pod. */
  parca?: boolean;
}

/** A port that refuses connections: bound then released. */
export async function closedLocalPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function startFakeCluster(options: StartFakeClusterOptions): Promise<FakeCluster> {
  const ownDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pod-profiler-fake-cluster-'));
  const pprof = await FakePprofServer.start({ profile: options.profile, msPerSecond: options.msPerSecond });
  const plain = await FakePprofServer.start({});
  const day = 24 * 3600 * 1000;
  const now = Date.now();
  const pods: FakePod[] = [
    {
      name: 'catalog-7d9f8-abcde',
      namespace: 'shop',
      phase: 'Running',
      nodeName: 'node-a1',
      podIP: '10.244.1.7',
      createdAt: new Date(now - 2 * day - 3 * 3600 * 1000),
      containers: [{ name: 'catalog', image: 'registry.example/shop/catalog:1.4.2', ports: [{ name: 'http', containerPort: 8080 }] }],
      annotations: { 'podprofiler.dev/pprof-port': '6060' },
      labels: { app: 'catalog', 'pod-template-hash': '7d9f8' },
      upstreams: { 6060: pprof.url, 8080: plain.url },
    },
    {
      name: 'checkout-5c6b7-fghij',
      namespace: 'shop',
      phase: 'Running',
      nodeName: 'node-b2',
      podIP: '10.244.2.4',
      createdAt: new Date(now - 5 * 3600 * 1000),
      containers: [
        { name: 'checkout', image: 'registry.example/shop/checkout:2.0.1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'http-pprof', containerPort: 6061 }] },
        { name: 'log-shipper', image: 'registry.example/infra/fluent-bit:3.1' },
      ],
      labels: { app: 'checkout', 'pod-template-hash': '5c6b7' },
      restarts: 1,
      upstreams: { 6061: pprof.url, 8080: plain.url },
    },
    {
      name: 'frontend-66b8d-klmno',
      namespace: 'shop',
      phase: 'Running',
      nodeName: 'node-a1',
      podIP: '10.244.1.9',
      createdAt: new Date(now - 47 * 60 * 1000),
      containers: [{ name: 'frontend', image: 'registry.example/shop/frontend:0.9.0', ports: [{ name: 'http', containerPort: 8080 }] }],
      labels: { app: 'frontend', 'pod-template-hash': '66b8d' },
      upstreams: { 8080: plain.url },
    },
    {
      name: 'loadgen-0',
      namespace: 'shop',
      phase: 'Pending',
      createdAt: new Date(now - 90 * 1000),
      containers: [{ name: 'loadgen', image: 'registry.example/shop/loadgen:0.1.0' }],
      labels: { app: 'loadgen' },
    },
  ];
  const services: FakeService[] = [
    {
      name: 'catalog',
      namespace: 'shop',
      clusterIP: '10.96.14.21',
      selector: { app: 'catalog' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'pprof', port: 6060, targetPort: 6060 },
      ],
      createdAt: new Date(now - 30 * day),
    },
  ];
  const pyroscope = options.pyroscope
    ? await FakePyroscope.start({
        profile: options.profile,
        // The labels Alloy's pyroscope.ebpf Kubernetes example relabels to (plus the service_name it infers).
        series: [{ namespace: 'shop', pod: 'catalog-7d9f8-abcde', container: 'catalog', node: 'node-a1', service_name: 'shop/catalog' }],
      })
    : undefined;
  const parca = options.parca
    ? await FakeParca.start({
        profile: options.profile,
        // The Kubernetes labels parca-agent attaches (its kubernetes-config.yaml relabelling).
        series: [{ namespace: 'shop', pod: 'catalog-7d9f8-abcde', container: 'catalog', node: 'node-a1' }],
      })
    : undefined;
  // Each store as its chart installs it: a pod behind a service of the same name in its own namespace.
  const store = (name: string, image: string, port: number, upstream: string, ip: string) => {
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
    pods.push({
      name: `${name}-0`,
      namespace: name,
      phase: 'Running',
      nodeName: 'node-b2',
      podIP: ip,
      createdAt: new Date(now - 9 * day),
      containers: [{ name, image, ports: [{ name: 'http', containerPort: port }] }],
      labels,
      upstreams: { [port]: upstream },
    });
    services.push({ name, namespace: name, clusterIP: ip.replace('10.244.2', '10.96.40'), selector: labels, ports: [{ name: 'http', port, targetPort: port }], createdAt: new Date(now - 9 * day) });
  };
  if (pyroscope) store('pyroscope', 'grafana/pyroscope:1.13.2', 4040, pyroscope.url, '10.244.2.30');
  if (parca) store('parca', 'ghcr.io/parca-dev/parca:v0.24.0', 7070, parca.url, '10.244.2.31');
  const api = await FakeApiServer.start({ token: options.token, namespaces: ['shop', 'monitoring'], pods, services });
  const closedPort = await closedLocalPort();
  const kubeconfigPath = api.writeKubeconfig(dir, {
    context: 'fake-shop',
    namespace: 'shop',
    extraContexts: [{ name: 'staging', server: `https://127.0.0.1:${closedPort}`, namespace: 'default' }],
  });
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, api.ca.cert);
  const declared: Record<string, FakeClusterPod['pprofPortDeclaredBy']> = {
    'catalog-7d9f8-abcde': 'annotation',
    'checkout-5c6b7-fghij': 'container-port',
  };
  const state: FakeClusterState = {
    kubeconfigPath,
    server: api.url,
    context: 'fake-shop',
    namespace: 'shop',
    caFile,
    controlUrl: '',
    pid: process.pid,
    ...(pyroscope ? { pyroscopeUrl: pyroscope.url } : {}),
    ...(parca ? { parcaUrl: parca.url } : {}),
    pods: pods.map((p) => {
      const pprofPort = Object.entries(p.upstreams ?? {}).find(([, u]) => u === pprof.url)?.[0];
      return {
        name: p.name,
        namespace: p.namespace,
        phase: p.phase,
        nodeName: p.nodeName,
        podIP: p.podIP,
        pprofPort: pprofPort ? Number(pprofPort) : undefined,
        pprofPortDeclaredBy: pprofPort ? declared[p.name] : undefined,
      };
    }),
  };
  return {
    api,
    pprof,
    plain,
    state,
    closedPort,
    pyroscope,
    parca,
    async close() {
      await Promise.all([api.close(), pprof.close(), plain.close(), pyroscope?.close(), parca?.close()]);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const failureModes: FailureMode[] = ['none', 'unauthorized', 'forbidden', 'not-found', 'hang', 'reset', 'server-error'];
const failureScopes: FailureScope[] = ['all', 'proxy', 'api'];
const pprofModes: PprofServerMode[] = ['normal', 'hang', 'reset', 'busy'];

/** The control endpoint for a separate-process fake (e2e tests switch failure modes through it). */
export async function startControlServer(fc: FakeCluster): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/requests') return reply(200, fc.api.requests);
    if (req.method === 'GET' && url.pathname === '/state') return reply(200, fc.state);
    if (req.method === 'GET' && url.pathname === '/pyroscope-requests') return reply(200, fc.pyroscope?.requests ?? []);
    if (req.method === 'GET' && url.pathname === '/parca-requests') return reply(200, fc.parca?.requests ?? []);
    if (req.method === 'POST' && url.pathname === '/failure') {
      const mode = (url.searchParams.get('mode') ?? 'none') as FailureMode;
      const scope = (url.searchParams.get('scope') ?? 'all') as FailureScope;
      if (!failureModes.includes(mode) || !failureScopes.includes(scope)) return reply(400, { error: `mode one of ${failureModes}, scope one of ${failureScopes}` });
      fc.api.setFailure(mode, scope);
      return reply(200, { mode, scope });
    }
    if (req.method === 'POST' && url.pathname === '/pprof-mode') {
      const mode = (url.searchParams.get('mode') ?? 'normal') as PprofServerMode;
      if (!pprofModes.includes(mode)) return reply(400, { error: `mode one of ${pprofModes}` });
      fc.pprof.mode = mode;
      return reply(200, { mode });
    }
    reply(404, { error: 'unknown control path' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq?.slice(name.length + 1);
}

async function main(args: string[]): Promise<void> {
  const pprofFile = argValue(args, '--pprof');
  const stateFile = argValue(args, '--state-file');
  if (!pprofFile || !stateFile) {
    process.stderr.write('usage: startFakeCluster --pprof FILE --state-file F [--ms-per-second N] [--dir D] [--token T]\n');
    process.exit(2);
  }
  const msArg = argValue(args, '--ms-per-second');
  const msPerSecond = msArg === undefined ? undefined : Number(msArg);
  if (msPerSecond !== undefined && !(msPerSecond >= 0)) {
    process.stderr.write(`--ms-per-second must be a number >= 0 (got ${msArg})\n`);
    process.exit(2);
  }
  const profile = readFileSync(resolve(pprofFile));
  const fc = await startFakeCluster({ profile, msPerSecond, dir: argValue(args, '--dir'), token: argValue(args, '--token'), pyroscope: args.includes('--pyroscope'), parca: args.includes('--parca') });
  const control = await startControlServer(fc);
  fc.state.controlUrl = `http://127.0.0.1:${(control.address() as net.AddressInfo).port}`;
  // Written whole then renamed, so a poller never reads half a file.
  const tmp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(fc.state, null, 2));
  renameSync(tmp, stateFile);
  process.stdout.write(`fake cluster ready ${fc.state.server} (kubeconfig ${fc.state.kubeconfigPath})\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    control.close();
    await fc.close().catch(() => undefined);
    rmSync(stateFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);
}

// Bundled into tests too (esbuild inlines it), so "am I the entry" is checked by file name.
if (require.main === module && /startFakeCluster\.[cm]?js$/.test(require.main.filename)) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`fake cluster failed to start: ${e instanceof Error ? e.stack : e}\n`);
    process.exit(1);
  });
}
