// How Connect requests reach Pyroscope: straight to a URL (a port-forward, an ingress, Grafana Cloud), or
// through the Kubernetes API server's service proxy with the kubeconfig's credentials (an in-cluster
// Pyroscope without any exposed address). Both return the raw answer (status, content type, body) for the
// client to read, and turn transport failures into PyroscopeErrors.
import type { KubeConfig } from '@kubernetes/client-node';
import { proxyRequest } from '../../cluster/apiProxy';
import { parseStatus, redactSecrets } from '../../cluster/clusterErrors';
import { bodySnippet, scrub, secretsOfAuthorization, storeErrorFromCluster } from '../storeErrors';
import { parseStoreUrl, postToStore, type StoreHttpSpec } from '../storeHttp';
import { PyroscopeError, setPyroscopeCredentialsCommandTitle } from './pyroscopeErrors';

export interface ConnectAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface TransportCallOptions {
  /** Headers of the call (Content-Type, Connect-Protocol-Version, Connect-Timeout-Ms...). */
  headers: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Largest 2xx body accepted. */
  maxBytes: number;
}

export interface PyroscopeTransport {
  /** For messages: "Pyroscope at http://127.0.0.1:4040", "Pyroscope service pyroscope/pyroscope:4040 (through the API server ...)". */
  readonly where: string;
  readonly viaServiceProxy: boolean;
  /** Tenant sent as X-Scope-OrgID, if any. */
  readonly tenant?: string;
  readonly sentCredentials: boolean;
  /** Secrets to scrub from any message. */
  readonly secrets: readonly string[];
  /** POSTs `body` to `procedure` (e.g. /querier.v1.QuerierService/ProfileTypes); any HTTP status resolves. */
  post(procedure: string, body: Uint8Array, options: TransportCallOptions): Promise<ConnectAnswer>;
}

const tenantPattern = /^[A-Za-z0-9!\-_.*'()|]{1,150}$/;

function checkTenant(tenant: string | undefined): string | undefined {
  const t = tenant?.trim();
  if (!t) return undefined;
  // Pyroscope's tenant ids follow Cortex's rules: these characters, at most 150 (several joined by |).
  if (!tenantPattern.test(t)) {
    throw new PyroscopeError('bad-input', `The tenant id "${t.slice(0, 60)}" has characters Pyroscope does not accept (letters, digits and !-_.*'() only).`);
  }
  return t;
}

// ---- direct URL ---------------------------------------------------------------------------------------

export interface DirectTransportOptions {
  /** http(s)://host:port[/prefix] of Pyroscope (or its query-frontend / Grafana Cloud Profiles URL). */
  url: string;
  /** Full Authorization header value ("Basic ...", "Bearer ..."), from SecretStorage. Never logged. */
  authorization?: string;
  /** Sent as X-Scope-OrgID for multi-tenant servers. */
  tenant?: string;
  /** PEM of the CA to trust instead of the system roots (an in-house server with its own CA). */
  caPem?: string;
}

export function directTransport(options: DirectTransportOptions): PyroscopeTransport {
  const spec: StoreHttpSpec<PyroscopeError> = {
    store: 'Pyroscope',
    setting: 'podProfiler.pyroscope.url',
    defaultPort: 4040,
    credentialsCommand: setPyroscopeCredentialsCommandTitle,
    make: (kind, message) => new PyroscopeError(kind, message),
  };
  const target = parseStoreUrl(options.url, spec);
  const tenant = checkTenant(options.tenant);
  const authorization = options.authorization?.trim() || undefined;
  if (authorization && /[\r\n]/.test(authorization)) throw new PyroscopeError('bad-input', 'The stored Pyroscope credentials contain a line break; set them again.');
  const secrets = secretsOfAuthorization(authorization);
  return {
    where: target.where,
    viaServiceProxy: false,
    tenant,
    sentCredentials: authorization !== undefined,
    secrets,
    async post(procedure, body, call) {
      const headers: Record<string, string> = { ...call.headers };
      if (tenant) headers['X-Scope-OrgID'] = tenant;
      if (authorization) headers.Authorization = authorization;
      const answer = await postToStore(
        target,
        { path: procedure, body, headers, timeoutMs: call.timeoutMs, maxBytes: call.maxBytes, signal: call.signal, caPem: options.caPem, secrets },
        spec,
      );
      return { status: answer.status, contentType: String(answer.headers['content-type'] ?? ''), body: answer.body };
    },
  };
}

// ---- Kubernetes API server service proxy -----------------------------------------------------------------

export interface ServiceRef {
  namespace: string;
  name: string;
  /** Service port number or name. */
  port: number | string;
  /** 'https' when the service port speaks TLS. */
  scheme?: 'http' | 'https';
}

export const defaultPyroscopeService = 'pyroscope/pyroscope:4040';

/** Reads "namespace/name:port" (port a number or name; "https:" prefix for TLS ports). Throws 'bad-input'. */
export function parseServiceRef(text: string): ServiceRef {
  const m = text.trim().match(/^(?:(https?):)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/);
  if (!m) {
    throw new PyroscopeError(
      'bad-input',
      `"${text.slice(0, 100)}" is not a service reference: write namespace/name:port, e.g. ${defaultPyroscopeService} (setting podProfiler.pyroscope.service).`,
    );
  }
  const port = /^\d+$/.test(m[6]) ? Number(m[6]) : m[6];
  return { namespace: m[2], name: m[4], port, scheme: m[1] as 'http' | 'https' | undefined };
}

export interface ServiceProxyTransportOptions {
  /** KubeConfig whose current context is the cluster (see kubeConfigForContext / ClusterClient.kc). */
  kc: KubeConfig;
  service: ServiceRef;
  tenant?: string;
}

/**
 * Through `/api/v1/namespaces/NS/services/NAME:PORT/proxy/querier.v1.QuerierService/...`. No Authorization of
 * our own can be sent: the API server authenticates the kubeconfig's credentials and drops the header.
 */
export function serviceProxyTransport(options: ServiceProxyTransportOptions): PyroscopeTransport {
  const { kc, service } = options;
  const tenant = checkTenant(options.tenant);
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const where = `Pyroscope service ${service.namespace}/${service.name}:${service.port} (through the API server ${server})`;
  return {
    where,
    viaServiceProxy: true,
    tenant,
    sentCredentials: false,
    secrets: [],
    async post(procedure, body, call) {
      let res;
      try {
        res = await proxyRequest(
          kc,
          { kind: 'services', namespace: service.namespace, name: service.name, port: service.port, scheme: service.scheme, path: procedure },
          {
            method: 'POST',
            body,
            headers: { ...call.headers, ...(tenant ? { 'X-Scope-OrgID': tenant } : {}) },
            accept: call.headers.Accept ?? '*/*',
            signal: call.signal,
            timeoutMs: call.timeoutMs,
            maxBytes: call.maxBytes,
            anyStatus: true,
            reportCutOff: true,
          },
        );
      } catch (e) {
        throw storeErrorFromCluster(where, e, 'Pyroscope', (kind, message, status) => new PyroscopeError(kind, message, status));
      }
      // A meta/v1 Status is the API server's own answer (no such service, no endpoints, RBAC, login); anything
      // else came from the service.
      if (res.status >= 300) {
        const st = parseStatus(res.body);
        if (st) throw fromApiServerStatus(where, service, res.status, st.message ?? '', res.body);
      }
      return res;
    },
  };
}

function fromApiServerStatus(where: string, service: ServiceRef, status: number, message: string, body: Buffer): PyroscopeError {
  const said = message ? ` The API server said: "${redactSecrets(message).slice(0, 300)}".` : bodySnippet(body) ? ` The API server said: "${bodySnippet(body)}".` : '';
  const svc = `${service.namespace}/${service.name}`;
  if (status === 401) {
    return new PyroscopeError(
      'unauthenticated',
      `The Kubernetes API server rejected your kubeconfig's credentials (401). Log in again (e.g. \`gcloud auth login\`, \`aws sso login\`, \`az login\`) and check \`kubectl get pods\` works.${said}`,
      status,
    );
  }
  if (status === 403) {
    return new PyroscopeError(
      'forbidden',
      `Kubernetes RBAC denied the service proxy (403): your user needs \`create services/proxy\` in namespace "${service.namespace}" to query ${svc} ` +
        `(check with \`kubectl auth can-i create services/proxy -n ${service.namespace}\`), or set podProfiler.pyroscope.url to an address you can reach.${said}`,
      status,
    );
  }
  if (status === 404) {
    return new PyroscopeError(
      'not-found',
      `There is no service "${service.name}" in namespace "${service.namespace}". Set podProfiler.pyroscope.service to Pyroscope's service ` +
        `(namespace/name:port; \`kubectl get svc -A | grep pyroscope\` finds it), or podProfiler.pyroscope.url.${said}`,
      status,
    );
  }
  if (status === 503 || status === 502) {
    if (/no endpoints/i.test(message)) {
      return new PyroscopeError('unreachable', `Service ${svc} has no ready pods behind port ${service.port}: is Pyroscope running?${said}`, status);
    }
    if (/connection refused/i.test(message)) {
      return new PyroscopeError(
        'not-found',
        `Nothing listens on port ${service.port} of service ${svc}. Set podProfiler.pyroscope.service to Pyroscope's HTTP port (default 4040).${said}`,
        status,
      );
    }
    return new PyroscopeError('unreachable', `The API server could not reach service ${svc} on port ${service.port}.${said}`, status);
  }
  if (status === 504 || status === 408) return new PyroscopeError('timeout', `${where} timed out (${status}).${said}`, status);
  return new PyroscopeError('bad-response', `Unexpected answer ${status} from the API server for ${where}.${said}`, status);
}
