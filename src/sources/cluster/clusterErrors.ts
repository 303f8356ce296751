// Every failure of cluster access becomes one ClusterError whose message tells the user what to do.
// Messages are built from what we asked for (verb, resource, namespace, server URL) and the API server's
// Status message; never from request headers, and every message passes through redaction of known secrets.

export type ClusterErrorKind =
  | 'config' // no kubeconfig, unreadable or unknown context
  | 'unauthorized' // 401, expired or rejected credentials, failing exec/auth-provider plugin
  | 'forbidden' // 403 RBAC
  | 'not-found' // pod/namespace gone, or nothing serves the requested path/port in the pod
  | 'unreachable' // API server cannot be reached (refused, DNS, reset)
  | 'timeout' // no complete answer within the deadline
  | 'tls' // certificate verification failed
  | 'cancelled' // the caller's AbortSignal fired
  | 'too-large' // body over the byte cap
  | 'bad-response'; // anything else the server answered that we cannot use

/** What a request was for, so messages can name it (never holds credentials). */
export interface RequestDescription {
  /** Base URL of the API server, e.g. https://10.0.0.1:6443 */
  server: string;
  /** Path and query sent (no credentials live in paths). */
  path: string;
  /** RBAC verb and resource, e.g. get + pods/proxy */
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
  /** For pod proxy requests: the pod port and the path inside the pod. */
  port?: number;
  podPath?: string;
}

export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isClusterError(e: unknown): e is ClusterError {
  return e instanceof ClusterError;
}

/** The subset of a Kubernetes `Status` object we read (meta/v1 Status). */
export interface KubeStatus {
  kind: 'Status';
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string };
}

export function parseStatus(body: Buffer | string | undefined): KubeStatus | undefined {
  if (!body || body.length === 0 || body.length > 1024 * 1024) return undefined;
  try {
    const o = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    return o && typeof o === 'object' && o.kind === 'Status' ? (o as KubeStatus) : undefined;
  } catch {
    return undefined;
  }
}

const secretPatterns: RegExp[] = [
  /(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /(token|password|api[-_]?key)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

/** Removes bearer/basic credentials and the given secret values from a text meant for users or logs. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  out = out.replace(secretPatterns[0], '$1 [redacted]');
  out = out.replace(secretPatterns[1], '$1$2[redacted]');
  return out;
}

function where(d: RequestDescription): string {
  return d.namespace ? ` in namespace "${d.namespace}"` : ' (cluster-wide)';
}

function target(d: RequestDescription): string {
  const res = d.resource.split('/')[0];
  const single = res.endsWith('s') ? res.slice(0, -1) : res;
  return d.name ? `${single} "${d.name}"${d.namespace ? ` in namespace "${d.namespace}"` : ''}` : `${res}${where(d)}`;
}

/** Text from a non-Status body, shortened and made printable (e.g. Go's "404 page not found"). */
function bodySnippet(body: Buffer | undefined): string {
  if (!body || body.length === 0) return '';
  const text = body.subarray(0, 300).toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) return '';
  return text.replace(/\s+/g, ' ').trim();
}

/** Maps an HTTP answer with a non-2xx status to a ClusterError. */
export function errorFromResponse(
  d: RequestDescription,
  statusCode: number,
  body: Buffer | undefined,
  secrets: readonly string[] = [],
): ClusterError {
  const status = parseStatus(body);
  const serverSaid = status?.message ?? bodySnippet(body);
  const said = serverSaid ? ` The server said: ${serverSaid}` : '';
  const make = (kind: ClusterErrorKind, msg: string) => new ClusterError(kind, redactSecrets(msg, secrets), statusCode);
  const isProxy = d.resource.endsWith('/proxy');

  if (statusCode === 401) {
    return make(
      'unauthorized',
      `The API server at ${d.server} rejected your credentials (401 Unauthorized). They may have expired: log in again ` +
        `(refresh the token in your kubeconfig, or run your cloud CLI's login, e.g. \`gcloud auth login\`, \`aws sso login\`, ` +
        `\`az login\`), then check \`kubectl get pods\` works.`,
    );
  }
  if (statusCode === 403) {
    const m = status?.message?.match(/cannot (\w+) resource "([^"]+)"(?: in API group "[^"]*")?(?: in the namespace "([^"]+)")?/);
    const verb = m?.[1] ?? d.verb;
    const resource = m?.[2] ?? d.resource;
    const ns = m ? m[3] : d.namespace;
    const scope = ns ? `in namespace "${ns}"` : 'cluster-wide';
    return make(
      'forbidden',
      `Kubernetes RBAC denied access (403 Forbidden): your user needs permission to \`${verb} ${resource}\` ${scope}. ` +
        `Ask a cluster admin for a Role${ns ? '' : '/ClusterRole'} granting verb "${verb}" on resource "${resource}", ` +
        `or check with \`kubectl auth can-i ${verb} ${resource}${ns ? ` -n ${ns}` : ''}\`.${said}`,
    );
  }
  if (statusCode === 404) {
    // A Status body means the API server itself did not find the object; any other body came from the pod.
    if (status || !isProxy) {
      return make('not-found', `${capitalize(target(d))} was not found: it may have been deleted or restarted under a new name. Pick it again.${said}`);
    }
    return make(
      'not-found',
      `Pod "${d.name}" answered 404 for ${d.podPath ?? d.path} on port ${d.port ?? '?'}: nothing serves /debug/pprof there. ` +
        `Check the service imports net/http/pprof and listens on that port, then set the pod annotation ` +
        `\`podprofiler.dev/pprof-port: "<port>"\` (or the setting podProfiler.pprof.port).${said}`,
    );
  }
  if (isProxy && (statusCode === 502 || statusCode === 503) && status) {
    const who = d.resource.startsWith('services') ? `service "${d.name}"` : `pod "${d.name}"`;
    if (/connection refused/i.test(serverSaid)) {
      return make(
        'not-found',
        `Nothing listens on port ${d.port ?? '?'} of ${who}: the API server's connection was refused. ` +
          `Set the pod annotation \`podprofiler.dev/pprof-port: "<port>"\` to the port of its net/http/pprof server ` +
          `(or the setting podProfiler.pprof.port).${said}`,
      );
    }
    if (/no endpoints/i.test(serverSaid)) {
      return make('not-found', `The ${who} has no ready pods behind port ${d.port ?? '?'}.${said}`);
    }
    return make('unreachable', `The API server could not reach ${who} on port ${d.port ?? '?'} (is it running?).${said}`);
  }
  if (statusCode === 408 || statusCode === 504) {
    return make('timeout', `The request to ${d.server}${d.path.split('?')[0]} timed out (${statusCode}).${said}`);
  }
  if (isProxy && !status) {
    return make('bad-response', `Pod "${d.name}" answered ${statusCode} for ${d.podPath ?? d.path} on port ${d.port ?? '?'}.${said}`);
  }
  return make('bad-response', `Unexpected answer ${statusCode} from ${d.server} for ${d.verb} ${target(d)}.${said}`);
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** Maps a transport-level failure (no HTTP status) to a ClusterError. */
export function errorFromTransport(d: RequestDescription, err: unknown, secrets: readonly string[] = []): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const text = redactSecrets(String(e?.message ?? err), secrets);
  if (unreachableCodes.has(code)) {
    const why =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'host name not found'
          : code === 'ECONNRESET' || code === 'EPIPE'
            ? 'the connection was reset'
            : text;
    return new ClusterError(
      'unreachable',
      `Cannot reach the Kubernetes API server at ${d.server} (${why}). Check the cluster is running, your network/VPN, ` +
        `and the server URL of the selected context in your kubeconfig.`,
    );
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ALTNAME|SSL/i.test(code) || /certificate/i.test(text)) {
    return new ClusterError(
      'tls',
      `TLS verification of the API server at ${d.server} failed (${code || text}). The certificate authority in your ` +
        `kubeconfig (certificate-authority-data) may not match this server; refresh the kubeconfig from your cloud CLI.`,
    );
  }
  return new ClusterError('unreachable', `Request to the Kubernetes API server at ${d.server} failed: ${text}`);
}

/** A failing exec/auth-provider plugin (e.g. an expired cloud login) while preparing credentials. */
export function errorFromCredentials(server: string, err: unknown, secrets: readonly string[] = []): ClusterError {
  const text = redactSecrets(String((err as Error)?.message ?? err), secrets).replace(/\s+/g, ' ').trim().slice(0, 500);
  return new ClusterError(
    'unauthorized',
    `Could not get credentials for ${server} from your kubeconfig: ${text}. Log in again with your cloud CLI ` +
      `(e.g. \`gcloud auth login\`, \`aws sso login\`, \`az login\`) and retry.`,
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
