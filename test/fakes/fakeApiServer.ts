// A fake Kubernetes API server for tests: HTTPS on 127.0.0.1 with a run-time CA, bearer-token auth, legacy
// discovery (/version, /api, /apis, /api/v1), namespaces/pods/services as JSON lists, objects and server-side
// Tables, and the pods/services proxy subresources forwarded to local upstream HTTP servers. Its wire shapes
// follow the real server closely enough for the real kubectl (the integration test proves it).
// Failure modes are switchable at run time: 401, 403 (RBAC Status), 404, hang, connection reset, 500.
// Proxy requests may be GET or POST (the body is streamed upstream), as the real proxy allows.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServerCert, makeTestCa, type Pem } from './testCerts';

export interface FakeContainer {
  name: string;
  image: string;
  ports?: Array<{ containerPort: number; name?: string; protocol?: 'TCP' | 'UDP' }>;
}

export interface FakePod {
  name: string;
  namespace: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  nodeName?: string;
  podIP?: string;
  createdAt: Date;
  containers: FakeContainer[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  restarts?: number;
  /** Pod port -> upstream base URL (http://127.0.0.1:N). Ports without one refuse connections. */
  upstreams?: Record<number, string>;
}

export interface FakeService {
  name: string;
  namespace: string;
  clusterIP: string;
  selector: Record<string, string>;
  ports: Array<{ name?: string; port: number; targetPort: number }>;
  createdAt: Date;
}

export type FailureMode = 'none' | 'unauthorized' | 'forbidden' | 'not-found' | 'hang' | 'reset' | 'server-error';
/** Which requests a failure applies to: every request, only proxy requests, or only non-proxy ones. */
export type FailureScope = 'all' | 'proxy' | 'api';

export interface RequestLogEntry {
  method: string;
  path: string;
  accept: string;
  authorized: boolean;
  status: number;
}

export interface FakeApiServerOptions {
  /** Bearer token clients must send; random when omitted. */
  token?: string;
  /** Namespaces (besides those of pods/services). */
  namespaces?: string[];
  pods?: FakePod[];
  services?: FakeService[];
  /** User name in RBAC messages. */
  userName?: string;
  /** Reuse a CA (e.g. to make a second server the same kubeconfig trusts). */
  ca?: Pem;
}

const gitVersion = 'v1.32.4';

export class FakeApiServer {
  readonly token: string;
  readonly ca: Pem;
  readonly requests: RequestLogEntry[] = [];
  readonly pods: FakePod[];
  readonly services: FakeService[];
  private failure: { mode: FailureMode; scope: FailureScope } = { mode: 'none', scope: 'all' };
  private readonly namespaces: Map<string, Date>;
  private readonly sockets = new Set<Socket>();
  private readonly userName: string;
  private resourceVersion = 48213;

  private constructor(
    private readonly server: https.Server,
    ca: Pem,
    options: FakeApiServerOptions,
  ) {
    this.ca = ca;
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.pods = options.pods ?? [];
    this.services = options.services ?? [];
    this.userName = options.userName ?? 'dev@example.com';
    const created = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    this.namespaces = new Map();
    for (const ns of ['default', 'kube-system', 'kube-public', ...(options.namespaces ?? [])]) this.namespaces.set(ns, created);
    for (const o of [...this.pods, ...this.services]) if (!this.namespaces.has(o.namespace)) this.namespaces.set(o.namespace, created);
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const ca = options.ca ?? (await makeTestCa());
    const cert = await makeServerCert(ca);
    let self: FakeApiServer | undefined;
    const server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => self!.handle(req, res));
    self = new FakeApiServer(server, ca, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** https://127.0.0.1:PORT */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  setFailure(mode: FailureMode, scope: FailureScope = 'all'): void {
    this.failure = { mode, scope };
  }

  /**
   * Writes a kubeconfig (YAML) trusting this server's CA with its token; returns its path. The fake's context is
   * the current one but listed second, after `extraContexts` (e.g. one pointing at a closed port), like real files.
   */
  writeKubeconfig(
    dir: string = mkdtempSync(join(tmpdir(), 'fake-kube-')),
    opts: { context?: string; namespace?: string; token?: string; extraContexts?: Array<{ name: string; server: string; namespace?: string }> } = {},
  ): string {
    const context = opts.context ?? 'fake-shop';
    const caData = Buffer.from(this.ca.cert).toString('base64');
    const token = opts.token ?? this.token;
    const extra = opts.extraContexts ?? [];
    const lines = [
      'apiVersion: v1',
      'kind: Config',
      'preferences: {}',
      'clusters:',
      ...extra.flatMap((c) => [`- name: ${c.name}-cluster`, '  cluster:', `    server: ${c.server}`, `    certificate-authority-data: ${caData}`]),
      '- name: fake-cluster',
      '  cluster:',
      `    server: ${this.url}`,
      `    certificate-authority-data: ${caData}`,
      'users:',
      '- name: fake-user',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      ...extra.flatMap((c) => [
        `- name: ${c.name}`,
        '  context:',
        `    cluster: ${c.name}-cluster`,
        '    user: fake-user',
        ...(c.namespace ? [`    namespace: ${c.namespace}`] : []),
      ]),
      `- name: ${context}`,
      '  context:',
      '    cluster: fake-cluster',
      '    user: fake-user',
      `    namespace: ${opts.namespace ?? 'shop'}`,
      `current-context: ${context}`,
      '',
    ];
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, lines.join('\n'), { mode: 0o600 });
    return path;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- request handling -------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const accept = String(req.headers.accept ?? '');
    const authorized = req.headers.authorization === `Bearer ${this.token}`;
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname + url.search, accept, authorized, status: 0 };
    this.requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    res.setHeader('Audit-Id', randomUUID());
    res.setHeader('Cache-Control', 'no-cache, private');

    const isProxy = /\/proxy(\/|$)/.test(url.pathname);
    const { mode, scope } = this.failure;
    const applies = mode !== 'none' && (scope === 'all' || (scope === 'proxy') === isProxy);
    if (applies && mode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (applies && mode === 'hang') return;
    if (!authorized || (applies && mode === 'unauthorized')) {
      this.status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    // Proxy subresources take any method (RBAC verb "create" for POST); everything else here is read-only.
    if (req.method !== 'GET' && !(isProxy && req.method === 'POST')) {
      this.status(res, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      return;
    }
    if (applies && mode === 'server-error') {
      this.status(res, 500, 'InternalError', 'Internal error occurred: etcdserver: request timed out');
      return;
    }
    const route = parseRoute(url.pathname);
    if (applies && mode === 'forbidden') {
      const { verb, resource, name, namespace } = rbacOf(route, url.pathname, req.method);
      const subject = name ? `${resource.split('/')[0]} "${name}"` : resource.split('/')[0];
      const nsPart = namespace ? ` in the namespace "${namespace}"` : '';
      const scopePart = namespace ? '' : ' at the cluster scope';
      this.status(
        res,
        403,
        'Forbidden',
        `${subject} is forbidden: User "${this.userName}" cannot ${verb} resource "${resource}" in API group ""${nsPart}${scopePart}`,
        { ...(name ? { name } : {}), kind: resource.split('/')[0] },
      );
      return;
    }
    if (applies && mode === 'not-found' && route.kind !== 'discovery') {
      const { resource, name } = rbacOf(route, url.pathname);
      const n = name ?? url.pathname.split('/').pop() ?? '';
      this.status(res, 404, 'NotFound', `${resource.split('/')[0]} "${n}" not found`, { name: n, kind: resource.split('/')[0] });
      return;
    }
    this.serve(route, url, accept, req, res);
  }

  private serve(route: Route, url: URL, accept: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const asTable = /as=Table/.test(accept);
    const includeObject = url.searchParams.get('includeObject') ?? 'Metadata';
    switch (route.kind) {
      case 'discovery':
        return this.discovery(route.path, res);
      case 'namespaces': {
        const items = [...this.namespaces.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, c]) => namespaceObject(n, c));
        if (route.name !== undefined) {
          const ns = items.find((n) => n.metadata.name === route.name);
          if (!ns) return this.status(res, 404, 'NotFound', `namespaces "${route.name}" not found`, { name: route.name, kind: 'namespaces' });
          return asTable ? this.json(res, 200, namespaceTable([ns], includeObject)) : this.json(res, 200, { kind: 'Namespace', apiVersion: 'v1', ...ns });
        }
        if (asTable) return this.json(res, 200, namespaceTable(items, includeObject, this.rv()));
        return this.json(res, 200, this.page('NamespaceList', items, url));
      }
      case 'pods': {
        const pods = this.pods.filter((p) => route.namespace === undefined || p.namespace === route.namespace).map(podObject);
        if (route.name !== undefined) {
          const pod = pods.find((p) => p.metadata.name === route.name);
          if (!pod) return this.status(res, 404, 'NotFound', `pods "${route.name}" not found`, { name: route.name, kind: 'pods' });
          return asTable ? this.json(res, 200, podTable([pod], includeObject)) : this.json(res, 200, { kind: 'Pod', apiVersion: 'v1', ...pod });
        }
        if (asTable) return this.json(res, 200, podTable(pods, includeObject, this.rv()));
        return this.json(res, 200, this.page('PodList', pods, url));
      }
      case 'services': {
        const svcs = this.services.filter((s) => route.namespace === undefined || s.namespace === route.namespace);
        if (route.name !== undefined) {
          const svc = svcs.find((s) => s.name === route.name);
          if (!svc) return this.status(res, 404, 'NotFound', `services "${route.name}" not found`, { name: route.name, kind: 'services' });
          return this.json(res, 200, { kind: 'Service', apiVersion: 'v1', ...serviceObject(svc) });
        }
        if (asTable) return this.json(res, 200, serviceTable(svcs.map(serviceObject), includeObject, this.rv()));
        return this.json(res, 200, this.page('ServiceList', svcs.map(serviceObject), url));
      }
      case 'pod-proxy':
        return this.podProxy(route, url, req, res);
      case 'service-proxy':
        return this.serviceProxy(route, url, req, res);
      default:
        return this.status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
    }
  }

  private discovery(path: string, res: http.ServerResponse): void {
    // Legacy (unaggregated) discovery documents: kubectl asks for aggregated ones first and falls back
    // when the answer is plain application/json.
    switch (path) {
      case '/version':
        return this.json(res, 200, {
          major: '1',
          minor: '32',
          gitVersion,
          gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
          gitTreeState: 'clean',
          buildDate: '2025-04-22T16:00:00Z',
          goVersion: 'go1.23.8',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
      case '/api':
        return this.json(res, 200, {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }],
        });
      case '/apis':
        return this.json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
      case '/api/v1':
        return this.json(res, 200, {
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [
            {
              name: 'namespaces',
              singularName: 'namespace',
              namespaced: false,
              kind: 'Namespace',
              verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
              shortNames: ['ns'],
              storageVersionHash: 'Q3oi5N2YM8M=',
            },
            {
              name: 'pods',
              singularName: 'pod',
              namespaced: true,
              kind: 'Pod',
              verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
              shortNames: ['po'],
              categories: ['all'],
              storageVersionHash: 'xPOwRZ+Yhw8=',
            },
            { name: 'pods/proxy', singularName: '', namespaced: true, kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
            { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
            {
              name: 'services',
              singularName: 'service',
              namespaced: true,
              kind: 'Service',
              verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
              shortNames: ['svc'],
              categories: ['all'],
              storageVersionHash: '0/CO1lhkEBI=',
            },
            { name: 'services/proxy', singularName: '', namespaced: true, kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
          ],
        });
      default:
        return this.status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
    }
  }

  private podProxy(route: ProxyRoute, url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    const pod = this.pods.find((p) => p.namespace === route.namespace && p.name === route.name);
    if (!pod) return this.status(res, 404, 'NotFound', `pods "${route.name}" not found`, { name: route.name, kind: 'pods' });
    // Like the real server: no port means the first declared container port.
    const port = route.port ? Number(route.port) : pod.containers.flatMap((c) => c.ports ?? [])[0]?.containerPort ?? 80;
    if (!Number.isInteger(port)) {
      return this.status(res, 400, 'BadRequest', `invalid port "${route.port}"`);
    }
    this.forward(pod, port, route.rest + url.search, req, res);
  }

  private serviceProxy(route: ProxyRoute, url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    const svc = this.services.find((s) => s.namespace === route.namespace && s.name === route.name);
    if (!svc) return this.status(res, 404, 'NotFound', `services "${route.name}" not found`, { name: route.name, kind: 'services' });
    const sp = route.port ? svc.ports.find((p) => p.name === route.port || String(p.port) === route.port) : svc.ports[0];
    if (!sp) return this.status(res, 503, 'ServiceUnavailable', `no endpoints available for service "${svc.name}:${route.port}"`);
    const pod = this.pods.find(
      (p) => p.namespace === svc.namespace && p.phase === 'Running' && Object.entries(svc.selector).every(([k, v]) => p.labels?.[k] === v),
    );
    if (!pod) return this.status(res, 503, 'ServiceUnavailable', `no endpoints available for service "${svc.name}"`);
    this.forward(pod, sp.targetPort, route.rest + url.search, req, res);
  }

  private forward(pod: FakePod, port: number, pathAndQuery: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const upstream = pod.upstreams?.[port];
    const dialTarget = `${pod.podIP ?? ''}:${port}`;
    if (!pod.podIP || pod.phase !== 'Running') {
      return this.status(res, 503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${dialTarget}: connect: no route to host`);
    }
    if (!upstream) {
      return this.status(res, 503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${dialTarget}: connect: connection refused`);
    }
    const target = new URL(pathAndQuery || '/', upstream);
    // The API server drops the caller's credentials before proxying.
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers.host;
    const up = http.request(target, { method: req.method === 'POST' ? 'POST' : 'GET', headers }, (upRes) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const h of ['content-type', 'content-disposition', 'content-length', 'x-content-type-options', 'content-encoding']) {
        if (upRes.headers[h] !== undefined) out[h] = upRes.headers[h];
      }
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    up.on('error', (e: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const why = e.code === 'ECONNRESET' ? `read tcp 10.0.0.1:41234->${dialTarget}: read: connection reset by peer` : e.code === 'ECONNREFUSED' ? `dial tcp ${dialTarget}: connect: connection refused` : String(e.message);
      this.status(res, 503, 'ServiceUnavailable', `error trying to reach service: ${why}`);
    });
    // The caller went away: stop the upstream request too (as the real proxy does).
    res.on('close', () => up.destroy());
    // A POST's body goes upstream as it arrives (Connect/gRPC-web style APIs behind services).
    if (req.method === 'POST') req.pipe(up);
    else up.end();
  }

  // ---- responses --------------------------------------------------------------------------------------

  private rv(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private page<T>(kind: string, items: T[], url: URL): unknown {
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const start = Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64url').toString() || '0');
    const end = limit > 0 ? Math.min(items.length, start + limit) : items.length;
    const metadata: Record<string, unknown> = { resourceVersion: this.rv() };
    if (end < items.length) {
      metadata.continue = Buffer.from(String(end)).toString('base64url');
      metadata.remainingItemCount = items.length - end;
    }
    return { kind, apiVersion: 'v1', metadata, items: items.slice(start, end) };
  }

  private json(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body) + '\n';
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** A meta/v1 Status, as the real server sends for every error. */
  private status(res: http.ServerResponse, code: number, reason: string, message: string, details?: Record<string, string>): void {
    this.json(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    });
  }
}

// ---- routing ------------------------------------------------------------------------------------------

interface ProxyRoute {
  kind: 'pod-proxy' | 'service-proxy';
  namespace: string;
  name: string;
  port?: string;
  scheme?: string;
  rest: string;
}
type Route =
  | { kind: 'discovery'; path: string }
  | { kind: 'namespaces'; name?: string }
  | { kind: 'pods' | 'services'; namespace?: string; name?: string }
  | ProxyRoute
  | { kind: 'unknown' };

function parseRoute(path: string): Route {
  if (['/version', '/api', '/apis', '/api/v1'].includes(path.replace(/\/$/, ''))) return { kind: 'discovery', path: path.replace(/\/$/, '') };
  let m = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/([^/]+)\/proxy(\/.*)?$/);
  if (m) {
    const [scheme, name, port] = splitNamePort(decodeURIComponent(m[3]));
    return { kind: m[2] === 'pods' ? 'pod-proxy' : 'service-proxy', namespace: m[1], name, port, scheme, rest: m[4] ?? '/' };
  }
  m = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)(?:\/([^/]+))?\/?$/);
  if (m) return { kind: m[2] as 'pods' | 'services', namespace: m[1], name: m[3] };
  m = path.match(/^\/api\/v1\/(pods|services)\/?$/);
  if (m) return { kind: m[1] as 'pods' | 'services' };
  m = path.match(/^\/api\/v1\/namespaces(?:\/([^/]+))?\/?$/);
  if (m) return { kind: 'namespaces', name: m[1] };
  return { kind: 'unknown' };
}

/** `[scheme:]name[:port]` of proxy paths. */
function splitNamePort(s: string): [string | undefined, string, string | undefined] {
  const parts = s.split(':');
  if (parts.length === 3) return [parts[0], parts[1], parts[2] || undefined];
  if (parts.length === 2) return [undefined, parts[0], parts[1] || undefined];
  return [undefined, parts[0], undefined];
}

function rbacOf(route: Route, path: string, method = 'GET'): { verb: string; resource: string; namespace?: string; name?: string } {
  switch (route.kind) {
    case 'pod-proxy':
    case 'service-proxy':
      return { verb: method === 'POST' ? 'create' : 'get', resource: route.kind === 'pod-proxy' ? 'pods/proxy' : 'services/proxy', namespace: route.namespace, name: route.name };
    case 'pods':
    case 'services':
      return { verb: route.name ? 'get' : 'list', resource: route.kind, namespace: route.namespace, name: route.name };
    case 'namespaces':
      return { verb: route.name ? 'get' : 'list', resource: 'namespaces', name: route.name };
    default:
      return { verb: 'get', resource: path.split('/').filter(Boolean).pop() ?? '' };
  }
}

// ---- object shapes -----------------------------------------------------------------------------------

function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function uidOf(s: string): string {
  const h = Buffer.from(s.padEnd(16, '-')).toString('hex').slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

interface Meta {
  metadata: { name: string; namespace?: string; creationTimestamp: string; [k: string]: unknown };
}

function namespaceObject(name: string, created: Date): Meta & Record<string, unknown> {
  return {
    metadata: {
      name,
      uid: uidOf('ns/' + name),
      resourceVersion: '17',
      creationTimestamp: timestamp(created),
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function podObject(p: FakePod): Meta & { spec: Record<string, unknown>; status: Record<string, unknown> } {
  const running = p.phase === 'Running';
  const ready = running;
  return {
    metadata: {
      name: p.name,
      generateName: p.name.replace(/[^-]+$/, ''),
      namespace: p.namespace,
      uid: uidOf('pod/' + p.name),
      resourceVersion: '48117',
      creationTimestamp: timestamp(p.createdAt),
      labels: p.labels ?? {},
      annotations: p.annotations ?? {},
    },
    spec: {
      containers: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ports: (c.ports ?? []).map((port) => ({ ...(port.name ? { name: port.name } : {}), containerPort: port.containerPort, protocol: port.protocol ?? 'TCP' })),
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      })),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      schedulerName: 'default-scheduler',
    },
    status: {
      phase: p.phase,
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: timestamp(p.createdAt) },
        { type: 'PodScheduled', status: p.nodeName ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: timestamp(p.createdAt) },
      ],
      ...(p.nodeName ? { hostIP: '172.18.0.' + (10 + (p.nodeName.length % 50)) } : {}),
      ...(p.podIP ? { podIP: p.podIP, podIPs: [{ ip: p.podIP }] } : {}),
      ...(running ? { startTime: timestamp(p.createdAt) } : {}),
      containerStatuses: running
        ? p.containers.map((c) => ({
            name: c.name,
            state: { running: { startedAt: timestamp(p.createdAt) } },
            ready: true,
            restartCount: p.restarts ?? 0,
            image: c.image,
            imageID: '',
            started: true,
          }))
        : undefined,
      qosClass: 'BestEffort',
    },
  };
}

function serviceObject(s: FakeService): Meta & Record<string, unknown> {
  return {
    metadata: { name: s.name, namespace: s.namespace, uid: uidOf('svc/' + s.name), resourceVersion: '48001', creationTimestamp: timestamp(s.createdAt) },
    spec: {
      ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), protocol: 'TCP', port: p.port, targetPort: p.targetPort })),
      selector: s.selector,
      clusterIP: s.clusterIP,
      clusterIPs: [s.clusterIP],
      type: 'ClusterIP',
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  };
}

// ---- server-side Tables (meta.k8s.io/v1), the columns of the real printers ----------------------------

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
const col = (name: string, description: string, priority = 0, format = '', type = 'string'): Column => ({ name, type, format, description, priority });
const nameColumn = col('Name', 'Name must be unique within a namespace.', 0, 'name');
const ageColumn = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

function table(columns: Column[], rows: Array<{ obj: Meta; cells: unknown[] }>, includeObject: string, resourceVersion?: string): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: resourceVersion ? { resourceVersion } : {},
    columnDefinitions: columns,
    rows: rows.map(({ obj, cells }) => ({
      cells,
      ...(includeObject === 'None'
        ? {}
        : { object: includeObject === 'Object' ? obj : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } }),
    })),
  };
}

function namespaceTable(items: Array<ReturnType<typeof namespaceObject>>, includeObject: string, rv?: string): unknown {
  return table(
    [nameColumn, col('Status', 'The status of the namespace'), ageColumn],
    items.map((n) => ({ obj: n, cells: [n.metadata.name, 'Active', humanAge(n.metadata.creationTimestamp)] })),
    includeObject,
    rv,
  );
}

function podTable(items: Array<ReturnType<typeof podObject>>, includeObject: string, rv?: string): unknown {
  return table(
    [
      nameColumn,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      ageColumn,
      col('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
      col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
      col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    items.map((p) => {
      const containers = (p.spec.containers as unknown[]).length;
      const statuses = (p.status.containerStatuses as Array<{ ready: boolean; restartCount: number }> | undefined) ?? [];
      const readyCount = statuses.filter((s) => s.ready).length;
      const restarts = statuses.reduce((a, s) => a + s.restartCount, 0);
      return {
        obj: p,
        cells: [
          p.metadata.name,
          `${readyCount}/${containers}`,
          p.status.phase,
          restarts,
          humanAge(p.metadata.creationTimestamp),
          (p.status.podIP as string | undefined) ?? '<none>',
          (p.spec.nodeName as string | undefined) ?? '<none>',
          '<none>',
          '<none>',
        ],
      };
    }),
    includeObject,
    rv,
  );
}

function serviceTable(items: Array<ReturnType<typeof serviceObject>>, includeObject: string, rv?: string): unknown {
  return table(
    [
      nameColumn,
      col('Type', 'type determines how the Service is exposed.'),
      col('Cluster-IP', 'clusterIP is the IP address of the service.'),
      col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      ageColumn,
      col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
    ],
    items.map((s) => {
      const spec = s.spec as { clusterIP: string; ports: Array<{ port: number }>; selector: Record<string, string> };
      return {
        obj: s,
        cells: [
          s.metadata.name,
          'ClusterIP',
          spec.clusterIP,
          '<none>',
          spec.ports.map((p) => `${p.port}/TCP`).join(','),
          humanAge(s.metadata.creationTimestamp),
          Object.entries(spec.selector).map(([k, v]) => `${k}=${v}`).join(','),
        ],
      };
    }),
    includeObject,
    rv,
  );
}

/** apimachinery's duration.HumanDuration. */
export function humanAge(created: string, now = Date.now()): string {
  const s = Math.floor((now - Date.parse(created)) / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (y < 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}
