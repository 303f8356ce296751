// The API server's proxy subresources: reach an HTTP endpoint inside a pod or behind a service through
// the API server, with the kubeconfig's auth. We build the URL ourselves because the generated client
// URL-encodes the path (losing `?seconds=`) and cannot return binary bodies.
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from './clusterErrors';
import { kubeGet, kubeRequest, type KubeGetOptions, type KubeRequestOptions, type KubeResponse } from './kubeRequest';

export interface ProxyTarget {
  namespace: string;
  /** 'pods' (the default) or 'services'. */
  kind?: 'pods' | 'services';
  /** Pod or service name. */
  name: string;
  /** Pod port number, or service port number/name. */
  port: number | string;
  /** For services: 'https' when the service port speaks TLS. */
  scheme?: 'http' | 'https';
  /** Path inside the pod, with its query, e.g. /debug/pprof/profile?seconds=30 */
  path: string;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** `/api/v1/namespaces/NS/pods/NAME:PORT/proxy/PATH?QUERY` (or the services form). */
export function proxyPath(t: ProxyTarget): string {
  const kind = t.kind ?? 'pods';
  for (const [what, v] of [['namespace', t.namespace], ['name', t.name]] as const) {
    if (!dnsLabel.test(v) || v.length > 253) throw new ClusterError('config', `Invalid ${what} "${v}" for the API server proxy.`);
  }
  const port = String(t.port);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port)) throw new ClusterError('config', `Invalid port "${port}" for the API server proxy.`);
  if (!t.path.startsWith('/')) throw new ClusterError('config', `Proxy path must start with '/': ${t.path}`);
  const scheme = t.scheme === 'https' ? 'https:' : '';
  const [pathPart, query] = splitQuery(t.path);
  // Segments are escaped one by one: '/' stays a separator, the query string is kept as is.
  const escaped = pathPart.split('/').map((s) => encodeURIComponent(decodeURIComponentSafe(s))).join('/');
  return `/api/v1/namespaces/${t.namespace}/${kind}/${scheme}${t.name}:${port}/proxy${escaped}${query}`;
}

/**
 * GETs through the API server proxy and resolves to the raw body bytes. `target` is either a ProxyTarget or
 * an already built proxy path (`/api/v1/namespaces/NS/pods/NAME:PORT/proxy/...`).
 */
export async function proxyGet(kc: KubeConfig, target: ProxyTarget | string, options: KubeGetOptions = {}): Promise<Buffer> {
  const t = typeof target === 'string' ? parseProxyPath(target) : target;
  const path = typeof target === 'string' ? target : proxyPath(t);
  const kind = t.kind ?? 'pods';
  const res = await kubeGet(
    kc,
    path,
    {
      verb: 'get',
      resource: `${kind}/proxy`,
      namespace: t.namespace,
      name: t.name,
      port: typeof t.port === 'number' ? t.port : Number(t.port) || undefined,
      podPath: t.path,
    },
    { accept: '*/*', ...options },
  );
  return res.body;
}

/**
 * Any method through the API server proxy, resolving to the whole response (status, content type, body).
 * RBAC checks POST as verb "create" on pods/proxy or services/proxy (GET as "get"), so error messages name that.
 */
export async function proxyRequest(kc: KubeConfig, target: ProxyTarget, options: KubeRequestOptions = {}): Promise<KubeResponse> {
  const kind = target.kind ?? 'pods';
  return kubeRequest(
    kc,
    proxyPath(target),
    {
      verb: (options.method ?? 'GET') === 'POST' ? 'create' : 'get',
      resource: `${kind}/proxy`,
      namespace: target.namespace,
      name: target.name,
      port: typeof target.port === 'number' ? target.port : Number(target.port) || undefined,
      podPath: target.path,
    },
    { accept: '*/*', ...options },
  );
}

/** Reads a proxy path back into its parts (for error messages); throws 'config' on anything else. */
export function parseProxyPath(path: string): ProxyTarget {
  const m = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/(?:(https?):)?([^/:]+)(?::([^/]+))?\/proxy(\/.*)?$/);
  if (!m) throw new ClusterError('config', `Not an API server proxy path: ${path.split('?')[0]}`);
  const port = m[5] ?? '';
  return {
    namespace: m[1],
    kind: m[2] as 'pods' | 'services',
    scheme: m[3] as 'http' | 'https' | undefined,
    name: m[4],
    port: /^\d+$/.test(port) ? Number(port) : port,
    path: m[6] ?? '/',
  };
}

function splitQuery(p: string): [string, string] {
  const i = p.indexOf('?');
  return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i)];
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
