// Every failure of the Pyroscope source becomes one PyroscopeError whose message says what to do next.
// Messages are built from what we asked for (server, service, selector) and what the server said; the
// Authorization value is never part of them, and every message is scrubbed of the known secrets anyway
// (servers and proxies may echo headers back).
import { bodySnippet, scrub, serverSaid as said, type StoreErrorKind } from '../storeErrors';
import type { ConnectErrorBody } from './pyroscopeProtocol';

export type PyroscopeErrorKind = StoreErrorKind;

export const setPyroscopeCredentialsCommandTitle = 'Pod Profiler: Set Pyroscope Credentials';

export class PyroscopeError extends Error {
  override readonly name = 'PyroscopeError';
  constructor(
    readonly kind: PyroscopeErrorKind,
    message: string,
    /** HTTP status when a server answered. */
    readonly status?: number,
    /** The Connect error code when the server sent one. */
    readonly connectCode?: string,
  ) {
    super(message);
  }
}

export function isPyroscopeError(e: unknown): e is PyroscopeError {
  return e instanceof PyroscopeError;
}

/** What a call was for, for messages. Never holds credentials. */
export interface PyroscopeCallContext {
  /** "Pyroscope at http://127.0.0.1:4040" or "Pyroscope service monitoring/pyroscope:4040 (through the API server)". */
  where: string;
  /** The Connect procedure path, e.g. /querier.v1.QuerierService/SelectMergeProfile */
  procedure: string;
  /** Whether requests go through the Kubernetes API server's service proxy. */
  viaServiceProxy: boolean;
  /** Tenant sent as X-Scope-OrgID, if any. */
  tenant?: string;
  /** Whether an Authorization value was sent. */
  sentCredentials: boolean;
  timeoutMs?: number;
}

/**
 * Maps a non-2xx answer from Pyroscope (Connect JSON error, or a plain HTTP error from whatever listens
 * there) to a PyroscopeError.
 */
export function errorFromConnectAnswer(
  ctx: PyroscopeCallContext,
  status: number,
  connect: ConnectErrorBody | undefined,
  rawBody: Uint8Array,
  secrets: readonly string[] = [],
): PyroscopeError {
  const code = connect?.code;
  const serverSaid = said(connect ? connect.message : bodySnippet(rawBody), secrets);
  const make = (kind: PyroscopeErrorKind, msg: string) => new PyroscopeError(kind, scrub(msg, secrets), status, code);
  const method = ctx.procedure.split('/').pop() ?? ctx.procedure;

  if (code === 'unauthenticated' || (!connect && status === 401)) {
    const tenantHint = /org ?id|tenant/i.test(serverSaid)
      ? ` It asks for a tenant: set podProfiler.pyroscope.tenantId to your tenant (sent as X-Scope-OrgID).`
      : '';
    if (ctx.viaServiceProxy) {
      return make(
        'unauthenticated',
        `${ctx.where} requires authentication (401).${serverSaid}${tenantHint} The Kubernetes API server drops Authorization headers ` +
          `before proxying, so an authenticating gateway cannot be reached this way: set podProfiler.pyroscope.url to its address ` +
          `and store the credentials with "${setPyroscopeCredentialsCommandTitle}".`,
      );
    }
    return make(
      'unauthenticated',
      `${ctx.where} rejected the request (401 unauthenticated)${ctx.sentCredentials ? ' with the stored credentials' : ' (no credentials were sent)'}.` +
        `${serverSaid}${tenantHint} Run "${setPyroscopeCredentialsCommandTitle}" (Grafana Cloud: the stack's numeric user id ` +
        `and an access policy token with the profiles:read scope).`,
    );
  }
  if (code === 'permission_denied' || (!connect && status === 403)) {
    return make(
      'forbidden',
      `${ctx.where} refused to run ${method} (403 permission denied).${serverSaid} The token${ctx.tenant ? ` or tenant "${ctx.tenant}"` : ''} ` +
        `may not read profiles: use a token with the profiles:read scope, or check the tenant (podProfiler.pyroscope.tenantId).`,
    );
  }
  if (code === 'unimplemented' || (!connect && (status === 404 || status === 405 || status === 415))) {
    return make(
      'not-found',
      `${ctx.where} has no Pyroscope query API: ${method} answered ${status}${code ? ` (${code})` : ''}.${serverSaid} ` +
        (ctx.viaServiceProxy
          ? `Check the setting podProfiler.pyroscope.service ("namespace/name:port", default pyroscope/pyroscope:4040) names Pyroscope's HTTP port, or its query-frontend in microservices mode.`
          : `Check podProfiler.pyroscope.url is Pyroscope's HTTP address (default port 4040; the query-frontend in microservices mode; for Grafana Cloud the Profiles URL of the stack, e.g. https://profiles-prod-001.grafana.net).`),
    );
  }
  if (code === 'invalid_argument' || code === 'failed_precondition' || code === 'out_of_range') {
    return make(
      'bad-input',
      `${ctx.where} rejected the ${method} query (${code}).${serverSaid} Check the label selector template (setting podProfiler.pyroscope.labelSelector) ` +
        `and the time window.`,
    );
  }
  if (code === 'deadline_exceeded' || (!connect && (status === 408 || status === 504))) {
    return make('timeout', `${ctx.where} did not finish ${method} in time (${code ?? status}).${serverSaid} Try a shorter window or try again.`);
  }
  if (code === 'resource_exhausted' || (!connect && status === 429)) {
    return make('bad-response', `${ctx.where} refused ${method}: the query is too large or a limit was hit (${code ?? status}).${serverSaid} Try a shorter window.`);
  }
  if (code === 'unavailable' || (!connect && (status === 502 || status === 503))) {
    return make('unreachable', `${ctx.where} is unavailable (${code ?? status}).${serverSaid} Check the Pyroscope pods are running, then try again.`);
  }
  if (code === 'canceled') return make('cancelled', `Pyroscope query cancelled.`);
  return make('bad-response', `${ctx.where} failed ${method} (${code ?? `HTTP ${status}`}).${serverSaid}`);
}

export function noDataError(selector: string, profileType: string, windowText: string, where: string): PyroscopeError {
  return new PyroscopeError(
    'no-data',
    `${where} has no ${profileType} profiles matching ${selector} in the last ${windowText}. Check that the profiler ` +
      `(e.g. Grafana Alloy's pyroscope.ebpf or an SDK) sends profiles for this pod, and that its labels are called ` +
      `namespace, pod (and container) as in the selector: in Grafana's Explore > Profiles look at the labels of the pod's ` +
      `series and adjust the setting podProfiler.pyroscope.labelSelector (e.g. {service_name="\${namespace}/\${container}"}). ` +
      `Profiles arrive every 15 s or so: a longer window helps for a pod that just started.`,
  );
}
