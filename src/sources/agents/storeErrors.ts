// What the profile stores (Pyroscope, Parca) have in common when things go wrong: the same error kinds, the
// same mapping from a failure of the Kubernetes service proxy (a ClusterError) to those kinds, and the same
// care with the Authorization value (never in a message; scrubbed anyway, since servers and proxies may echo
// headers). Each store keeps its own error class (PyroscopeError, ParcaError) and its own wording.
import { ClusterError, redactSecrets, type ClusterErrorKind } from '../cluster/clusterErrors';

export type StoreErrorKind =
  | 'unreachable' // connection refused, DNS, reset, TLS, no endpoints behind the service, gRPC UNAVAILABLE
  | 'timeout' // no complete answer within the deadline, DEADLINE_EXCEEDED
  | 'unauthenticated' // 401 / UNAUTHENTICATED: missing or wrong credentials or tenant, or the kubeconfig's
  | 'forbidden' // 403 / PERMISSION_DENIED: the token or tenant may not read profiles, or RBAC denied the service proxy
  | 'not-found' // wrong URL/service/port: nothing speaking the store's query API answered there
  | 'bad-input' // a selector template, URL, profile type or window we refuse, or one the server rejected
  | 'bad-response' // cut off, oversized, badly framed or undecodable answers
  | 'no-data' // the query ran but no profile matched the labels in the window
  | 'cancelled'; // the caller's AbortSignal fired

const storeKindOfClusterKind: Record<ClusterErrorKind, StoreErrorKind> = {
  cancelled: 'cancelled',
  timeout: 'timeout',
  unauthorized: 'unauthenticated',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  config: 'bad-input',
  'too-large': 'bad-response',
  'bad-response': 'bad-response',
  unreachable: 'unreachable',
  tls: 'unreachable',
};

/**
 * A failure of the request through the API server's service proxy, as the store's error: ClusterErrors keep
 * their message and status under the matching store kind; anything else is 'unreachable'.
 * `store` names the store in the cancellation message ("Parca query cancelled.").
 */
export function storeErrorFromCluster<E>(
  where: string,
  e: unknown,
  store: string,
  make: (kind: StoreErrorKind, message: string, status?: number) => E,
): E {
  if (!(e instanceof ClusterError)) return make('unreachable', `${where} failed: ${redactSecrets(String((e as Error)?.message ?? e))}`);
  if (e.kind === 'cancelled') return make('cancelled', `${store} query cancelled.`);
  return make(storeKindOfClusterKind[e.kind], e.message, e.status);
}

/**
 * The secret strings an Authorization value stands for: the value, its credential part and, for Basic,
 * the decoded "user:token" and the token alone. All of them are scrubbed from messages.
 */
export function secretsOfAuthorization(authorization: string | undefined): string[] {
  if (!authorization) return [];
  const out = [authorization];
  const m = authorization.match(/^\s*(\w+)\s+(.+?)\s*$/);
  if (m) {
    out.push(m[2]);
    if (m[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(m[2], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) out.push(decoded, decoded.slice(colon + 1));
    }
  }
  return out.filter((s) => s.length >= 4);
}

/** `text` without the given secrets and anything shaped like a credential (bearer tokens, authorization: ...). */
export function scrub(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets).replace(/(authorization|x-scope-orgid-secret)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1$2[redacted]');
}

/** ` The server said: "...".` with the server's words (one line, 300 characters, scrubbed), or '' when it said nothing. */
export function serverSaid(text: string | undefined, secrets: readonly string[]): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
  return t ? ` The server said: "${scrub(t, secrets)}".` : '';
}

/** Printable start of an error body that is not the store's own format (Go's "404 page not found", a proxy's text); '' for HTML and binary. */
export function bodySnippet(body: Uint8Array): string {
  if (body.length === 0) return '';
  const text = Buffer.from(body.subarray(0, 300)).toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) return '';
  if (/<html|<!doctype/i.test(text)) return '';
  return text.replace(/\s+/g, ' ').trim();
}
