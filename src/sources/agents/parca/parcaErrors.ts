// Every failure of the Parca source becomes one ParcaError whose message says what to do next. Messages are
// built from what we asked (server, query) and what the server said; the Authorization value is never put
// in them, and every message is scrubbed of known secrets anyway (servers and proxies may echo headers).
import { bodySnippet, scrub, serverSaid as said, type StoreErrorKind } from '../storeErrors';
import type { GrpcStatus } from './grpcWeb';

export type ParcaErrorKind = StoreErrorKind;

export class ParcaError extends Error {
  override readonly name = 'ParcaError';
  constructor(
    readonly kind: ParcaErrorKind,
    message: string,
    /** HTTP status when a server answered. */
    readonly status?: number,
    /** The gRPC status code name when the server sent one (e.g. UNAUTHENTICATED). */
    readonly grpcCode?: string,
  ) {
    super(message);
  }
}

export function isParcaError(e: unknown): e is ParcaError {
  return e instanceof ParcaError;
}

/** What a call was for, for messages. Never holds credentials. */
export interface ParcaCallContext {
  /** "Parca at http://127.0.0.1:7070" or "Parca service monitoring/parca:7070 (through the API server ...)". */
  where: string;
  /** The gRPC method name: "Query", "ProfileTypes". */
  method: string;
  /** Whether an Authorization header was sent. */
  sentCredentials: boolean;
  /** Setting names for hints. */
  settings?: ParcaSettingNames;
}

export interface ParcaSettingNames {
  url: string;
  query: string;
  profileType: string;
  credentialsCommand: string;
}

export const defaultSettingNames: ParcaSettingNames = {
  url: 'podProfiler.parca.url',
  query: 'podProfiler.parca.labelSelector',
  profileType: 'podProfiler.parca.profileType',
  credentialsCommand: 'Pod Profiler: Set Parca Token',
};

function notParcaHint(ctx: ParcaCallContext): string {
  const s = ctx.settings ?? defaultSettingNames;
  return (
    `Check that ${s.url} is Parca's HTTP address (the server's --http-address, default port 7070, plus its --path-prefix if one is set), ` +
    `not the agent's (parca-agent listens on 7071) nor a UI behind a proxy that does not pass gRPC-Web through.`
  );
}

/** A gRPC status other than OK, from trailers or headers. */
export function errorFromGrpcStatus(ctx: ParcaCallContext, st: GrpcStatus, httpStatus: number, secrets: readonly string[]): ParcaError {
  const s = ctx.settings ?? defaultSettingNames;
  const serverSaid = said(st.message, secrets);
  const make = (kind: ParcaErrorKind, msg: string) => new ParcaError(kind, scrub(msg, secrets), httpStatus, st.codeName);
  const what = `${ctx.where} answered ${ctx.method} with ${st.codeName}.${serverSaid}`;
  switch (st.codeName) {
    case 'UNAUTHENTICATED':
      return make(
        'unauthenticated',
        `${what} ${ctx.sentCredentials ? 'The stored token was refused' : 'No token was sent'}: run "${s.credentialsCommand}" ` +
          `to store a valid token (Polar Signals Cloud: a project token), or clear it for a Parca without authentication.`,
      );
    case 'PERMISSION_DENIED':
      return make('forbidden', `${what} The token may not read profiles of this project; use a token with read access ("${s.credentialsCommand}").`);
    case 'UNIMPLEMENTED':
      return make('not-found', `${what} This server has no ${ctx.method} method of parca.query.v1alpha1.QueryService: it is not Parca, or a Parca too old for this extension. ${notParcaHint(ctx)}`);
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return make('bad-input', `${what} Check the label selector (setting ${s.query}) and the profile type (${s.profileType}).`);
    case 'NOT_FOUND':
      return make('no-data', `${what} No profile matches the query in that window; check the labels in ${s.query} against the pod's series in Parca's UI.`);
    case 'DEADLINE_EXCEEDED':
      return make('timeout', `${what} The query took too long: choose a shorter window and try again.`);
    case 'UNAVAILABLE':
      return make('unreachable', `${what} Parca is not ready or is restarting; check its pod and try again.`);
    case 'RESOURCE_EXHAUSTED':
      return make('bad-response', `${what} The answer is too large or a limit was hit: choose a shorter window.`);
    case 'CANCELLED':
      return make('cancelled', 'Parca query cancelled.');
    default:
      return make('bad-response', `${what} Try again; if it persists, look at the Parca server's log.`);
  }
}

/** A non-200 HTTP answer without a gRPC status (a proxy, an ingress, a web server that is not Parca). */
export function errorFromHttpStatus(ctx: ParcaCallContext, status: number, body: Uint8Array, secrets: readonly string[]): ParcaError {
  const s = ctx.settings ?? defaultSettingNames;
  const serverSaid = said(bodySnippet(body), secrets);
  const make = (kind: ParcaErrorKind, msg: string) => new ParcaError(kind, scrub(msg, secrets), status);
  if (status === 401) {
    return make(
      'unauthenticated',
      `${ctx.where} refused ${ctx.method} (401 Unauthorized)${ctx.sentCredentials ? ' with the stored token' : ' (no token was sent)'}.${serverSaid} ` +
        `Run "${s.credentialsCommand}" to store the token the server or its gateway expects.`,
    );
  }
  if (status === 403) return make('forbidden', `${ctx.where} refused ${ctx.method} (403 Forbidden).${serverSaid} The token may not read profiles; check it with "${s.credentialsCommand}".`);
  if (status === 404 || status === 405 || status === 415) {
    return make('not-found', `${ctx.where} answered ${ctx.method} with HTTP ${status}: nothing speaking Parca's gRPC-Web API is there.${serverSaid} ${notParcaHint(ctx)}`);
  }
  if (status === 502 || status === 503) return make('unreachable', `${ctx.where} is unavailable (HTTP ${status}).${serverSaid} Check that the Parca pod runs, then try again.`);
  if (status === 504 || status === 408) return make('timeout', `${ctx.where} timed out (HTTP ${status}).${serverSaid} Try a shorter window or try again.`);
  if (status === 429) return make('bad-response', `${ctx.where} is rate limiting (HTTP 429).${serverSaid} Wait a little and try again.`);
  return make('bad-response', `${ctx.where} answered ${ctx.method} with HTTP ${status}.${serverSaid}`);
}

/** A 200 whose body is not gRPC-Web (an HTML UI, JSON, a proxy page). */
export function notGrpcWebError(ctx: ParcaCallContext, contentType: string, body: Uint8Array, status: number): ParcaError {
  const kindOf = /html/i.test(contentType) || /<html|<!doctype/i.test(Buffer.from(body.subarray(0, 200)).toString('latin1')) ? 'a web page' : `"${contentType || 'no content type'}"`;
  return new ParcaError('not-found', `${ctx.where} answered ${ctx.method} with ${kindOf} instead of gRPC-Web. ${notParcaHint(ctx)}`, status);
}

export function noDataError(where: string, query: string, windowText: string, labels: readonly string[], settings: ParcaSettingNames = defaultSettingNames): ParcaError {
  const labelList = labels.length ? labels.join(', ') : 'namespace, pod';
  return new ParcaError(
    'no-data',
    `${where} has no profiles matching ${query} in the last ${windowText}. Check that parca-agent runs on the pod's node and ` +
      `that its relabelling gives the labels ${labelList} (parca-agent's Kubernetes config maps __meta_kubernetes_namespace, ` +
      `__meta_kubernetes_pod_name and __meta_kubernetes_pod_container_name to namespace, pod and container): compare with the ` +
      `pod's series in Parca's UI and adjust the setting ${settings.query}. Profiles arrive about every 10 s; a longer window helps ` +
      `for a pod that just started.`,
  );
}
