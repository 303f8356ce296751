// How a gRPC-Web POST reaches Parca. The client (parcaAgent.ts) only needs a UnaryPost: send these bytes to
// this path with these headers, give back status, headers and body. Two implementations: straight to a URL
// (a port-forward, an ingress, Polar Signals Cloud) with node http/https, and through the Kubernetes API
// server's service proxy with the kubeconfig's credentials (an in-cluster Parca with no exposed address).
// Both reject with ParcaErrors for transport failures (unreachable, cut off, too large, cancelled).
import type { KubeConfig } from '@kubernetes/client-node';
import { proxyRequest } from '../../cluster/apiProxy';
import { parseStatus, redactSecrets } from '../../cluster/clusterErrors';
import { secretsOfAuthorization, storeErrorFromCluster } from '../storeErrors';
import { parseStoreUrl, postToStore, type StoreHttpSpec } from '../storeHttp';
import { ParcaError } from './parcaErrors';

export interface UnaryAnswer {
  status: number;
  /** Response headers, lower-cased names (as node gives them). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface UnaryPostOptions {
  /** Must make the promise reject promptly (ParcaError 'cancelled') when it fires. */
  signal?: AbortSignal;
  /** Transport-level deadline; the client also runs its own. */
  timeoutMs?: number;
  /** Largest 2xx body accepted (ParcaError 'bad-response' beyond). */
  maxBytes?: number;
}

/** POSTs `body` to `path` (e.g. /parca.query.v1alpha1.QueryService/Query, appended to the base) and resolves for any HTTP status. */
export type UnaryPost = (path: string, body: Uint8Array, headers: Record<string, string>, options?: UnaryPostOptions) => Promise<UnaryAnswer>;

/** A transport plus the words messages use for it. */
export interface ParcaEndpoint {
  post: UnaryPost;
  /** "Parca at http://127.0.0.1:7070", "Parca service monitoring/parca:7070 (through the API server https://...)". */
  where: string;
  /** Whether an Authorization header of ours can reach Parca (false through the API server, which drops it). */
  forwardsAuthorization: boolean;
}

const defaultTimeoutMs = 30_000;
export const defaultParcaMaxBytes = 64 * 1024 * 1024;

// ---- direct URL ---------------------------------------------------------------------------------------

export interface DirectParcaOptions {
  /** http(s)://host:port[/path-prefix] of Parca's HTTP port (default 7070). */
  url: string;
  /** PEM of an extra CA to trust (self-signed in-house servers). */
  caPem?: string;
  /** Setting name for messages. */
  settingName?: string;
}

export function directParcaEndpoint(options: DirectParcaOptions): ParcaEndpoint {
  const spec: StoreHttpSpec<ParcaError> = {
    store: 'Parca',
    setting: options.settingName ?? 'podProfiler.parca.url',
    defaultPort: 7070,
    credentialsCommand: 'Pod Profiler: Set Parca Token',
    make: (kind, message) => new ParcaError(kind, message),
  };
  const target = parseStoreUrl(options.url, spec);
  const post: UnaryPost = async (path, body, headers, call = {}) => {
    const secrets = Object.entries(headers)
      .filter(([k]) => k.toLowerCase() === 'authorization')
      .flatMap(([, v]) => secretsOfAuthorization(v));
    const answer = await postToStore(
      target,
      { path, body, headers, timeoutMs: call.timeoutMs ?? defaultTimeoutMs, maxBytes: call.maxBytes ?? defaultParcaMaxBytes, signal: call.signal, caPem: options.caPem, secrets },
      spec,
    );
    return { status: answer.status, headers: answer.headers, body: answer.body };
  };
  return { post, where: target.where, forwardsAuthorization: true };
}

// ---- Kubernetes API server service proxy -----------------------------------------------------------------

export interface ParcaServiceRef {
  namespace: string;
  name: string;
  /** Service port number or name. */
  port: number | string;
  /** 'https' when the service port speaks TLS. */
  scheme?: 'http' | 'https';
}

export const defaultParcaService = 'parca/parca:7070';

/** Reads "[https:]namespace/name:port". Throws ParcaError 'bad-input'. */
export function parseParcaServiceRef(text: string, settingName = 'podProfiler.parca.service'): ParcaServiceRef {
  const m = text.trim().match(/^(?:(https?):)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/);
  if (!m) {
    throw new ParcaError('bad-input', `"${text.slice(0, 100)}" is not a service reference: write namespace/name:port, e.g. ${defaultParcaService} (setting ${settingName}).`);
  }
  return { namespace: m[2], name: m[4], port: /^\d+$/.test(m[6]) ? Number(m[6]) : m[6], scheme: m[1] as 'http' | 'https' | undefined };
}

/**
 * Through `/api/v1/namespaces/NS/services/NAME:PORT/proxy/parca.query.v1alpha1.QueryService/...` (POST, RBAC
 * verb "create" on services/proxy). Our Authorization header cannot pass: kubeRequest sends the kubeconfig's
 * and the API server does not forward it. Limitation: proxyRequest gives back only the content type of the
 * answer, so a trailers-only error (grpc-status in HTTP headers) is seen as an answer without a status.
 */
export function serviceProxyParcaEndpoint(kc: KubeConfig, service: ParcaServiceRef): ParcaEndpoint {
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const svc = `${service.namespace}/${service.name}:${service.port}`;
  const where = `Parca service ${svc} (through the API server ${server})`;
  const post: UnaryPost = async (path, body, headers, call = {}) => {
    let res;
    try {
      res = await proxyRequest(
        kc,
        { kind: 'services', namespace: service.namespace, name: service.name, port: service.port, scheme: service.scheme, path },
        {
          method: 'POST',
          body,
          headers,
          accept: headers.Accept ?? headers.accept ?? '*/*',
          signal: call.signal,
          timeoutMs: call.timeoutMs ?? defaultTimeoutMs,
          maxBytes: call.maxBytes ?? defaultParcaMaxBytes,
          anyStatus: true,
          reportCutOff: true,
        },
      );
    } catch (e) {
      throw storeErrorFromCluster(where, e, 'Parca', (kind, message, status) => new ParcaError(kind, message, status));
    }
    // A meta/v1 Status is the API server's own answer (no such service, no endpoints, RBAC, login).
    if (res.status >= 300) {
      const st = parseStatus(res.body);
      if (st) throw fromApiServerStatus(where, svc, res.status, st.message ?? '');
    }
    return { status: res.status, headers: { 'content-type': res.contentType }, body: res.body };
  };
  return { post, where, forwardsAuthorization: false };
}

function fromApiServerStatus(where: string, svc: string, status: number, message: string): ParcaError {
  const said = message ? ` The API server said: "${redactSecrets(message).slice(0, 300)}".` : '';
  if (status === 401) return new ParcaError('unauthenticated', `The API server rejected the kubeconfig's credentials (401) for ${where}.${said} Log in to the cluster again (e.g. refresh the token).`, status);
  if (status === 403) {
    return new ParcaError(
      'forbidden',
      `Kubernetes RBAC does not allow "create" on services/proxy for ${svc} (403), which reaching Parca through the API server needs.${said} ` +
        `Ask for that permission, or set podProfiler.parca.url to a port-forward of Parca.`,
      status,
    );
  }
  if (status === 404) {
    return new ParcaError('not-found', `There is no service ${svc} (404).${said} Set podProfiler.parca.service to Parca's service as namespace/name:port (default ${defaultParcaService}).`, status);
  }
  if (status === 503 || status === 502) {
    return new ParcaError('unreachable', `The API server could not reach service ${svc} (${status}): no ready Parca pod behind it?${said}`, status);
  }
  if (status === 504 || status === 408) return new ParcaError('timeout', `${where} timed out (${status}).${said}`, status);
  return new ParcaError('bad-response', `Unexpected answer ${status} from the API server for ${where}.${said}`, status);
}
