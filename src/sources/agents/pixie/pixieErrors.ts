// Every failure of the Pixie source becomes one PixieError whose message says what to do next.
// Messages are built from what we asked for (address, cluster id, pod) and what Vizier/Cloud said; the API
// key is never part of them, and every message is scrubbed of the key anyway (servers may echo metadata).
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

export type PixieErrorKind =
  | 'auth' // missing, malformed or rejected API key
  | 'unknown-cluster' // no cluster with that id for this key (or none configured)
  | 'cluster-disconnected' // the cluster exists but its Vizier is not connected to the cloud
  | 'script' // Vizier's compiler or runtime rejected the PxL
  | 'no-samples' // the query ran but the pod had no stack samples in the window
  | 'timeout' // no complete answer within the deadline
  | 'unreachable' // the address cannot be reached (DNS, refused, TLS handshake)
  | 'cancelled' // the caller's AbortSignal fired
  | 'stream-dropped' // the result stream ended before every table was complete
  | 'bad-input' // a pod/namespace/window we refuse to put into a script
  | 'bad-response'; // Vizier answered something we cannot use

export const setApiKeyCommandTitle = 'Pod Profiler: Set Pixie API Key';

export class PixieError extends Error {
  override readonly name = 'PixieError';
  constructor(
    readonly kind: PixieErrorKind,
    message: string,
    /** The gRPC status code when the failure came from one. */
    readonly grpcCode?: number,
  ) {
    super(message);
  }
}

export function isPixieError(e: unknown): e is PixieError {
  return e instanceof PixieError;
}

/** Replaces every occurrence of the given secrets (and anything shaped like a Pixie API key header) by [redacted]. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/(pixie-api-key|authorization)(["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',;]+/gi, '$1$2[redacted]');
}

/** Context for messages: what we were talking to. Never holds the key. */
export interface PixieCallContext {
  address: string;
  clusterId?: string;
  /** "namespace/pod" when the call was for a pod. */
  pod?: string;
  /** True once at least one response message arrived (a later failure is a dropped stream). */
  receivedData?: boolean;
  /** Deadline length, for timeout messages. */
  timeoutMs?: number;
}

function isServiceError(e: unknown): e is ServiceError {
  return typeof e === 'object' && e !== null && typeof (e as ServiceError).code === 'number' && 'details' in (e as object);
}

const disconnectedWords = /disconnect|not connected|not healthy|unhealthy|no active|vizier is not|cluster is not|passthrough/i;

/**
 * Maps a gRPC failure (or any thrown value) to a PixieError. `secrets` are scrubbed from the result.
 * An already-mapped PixieError passes through (re-scrubbed).
 */
export function toPixieError(err: unknown, ctx: PixieCallContext, secrets: readonly (string | undefined)[] = []): PixieError {
  const scrub = (m: string) => redactSecrets(m, secrets);
  if (err instanceof PixieError) return new PixieError(err.kind, scrub(err.message), err.grpcCode);
  const where = ctx.clusterId ? `Pixie at ${ctx.address} (cluster ${ctx.clusterId})` : `Pixie at ${ctx.address}`;
  if (!isServiceError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    return new PixieError('bad-response', scrub(`${where} failed: ${text}`));
  }
  const code = err.code;
  const details = scrub(String(err.details ?? '').trim());
  const said = details ? ` The server said: "${details}".` : '';
  const make = (kind: PixieErrorKind, msg: string) => new PixieError(kind, scrub(msg), code);
  switch (code) {
    case GrpcStatus.UNAUTHENTICATED:
    case GrpcStatus.PERMISSION_DENIED:
      return make(
        'auth',
        `${where} rejected the API key (${code === GrpcStatus.UNAUTHENTICATED ? 'unauthenticated' : 'permission denied'}).${said} Run "${setApiKeyCommandTitle}" with a valid key (create one with \`px api-key create\` or in the Pixie UI under Admin > API Keys).`,
      );
    case GrpcStatus.NOT_FOUND:
      return make(
        'unknown-cluster',
        `${where}: the cluster was not found for this API key.${said} Check the cluster id (\`px get viziers\` lists them) or pick the cluster again.`,
      );
    case GrpcStatus.FAILED_PRECONDITION:
      return make(
        'cluster-disconnected',
        `${where}: the cluster's Vizier is not connected or not ready.${said} Check \`px get viziers\` and that the Vizier pods in the pl namespace are running, then try again.`,
      );
    case GrpcStatus.DEADLINE_EXCEEDED:
      return make(
        'timeout',
        `${where} did not answer within ${ctx.timeoutMs !== undefined ? `${Math.round(ctx.timeoutMs / 1000)} s` : 'the deadline'}.${said} The cluster may be busy or the network slow; try again or a shorter window.`,
      );
    case GrpcStatus.CANCELLED:
      return make('cancelled', `Pixie query cancelled.`);
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.INTERNAL:
    case GrpcStatus.UNKNOWN:
      if (ctx.receivedData) {
        return make(
          'stream-dropped',
          `${where}: the result stream broke off before it was complete.${said} No partial profile was kept; try again.`,
        );
      }
      if (code === GrpcStatus.UNAVAILABLE && disconnectedWords.test(details) && !/connect(ion)? (refused|reset)|ECONNREFUSED|ENOTFOUND|getaddrinfo/i.test(details)) {
        return make(
          'cluster-disconnected',
          `${where}: the cluster is not connected to Pixie Cloud.${said} Check \`px get viziers\` and that the Vizier pods in the pl namespace are running.`,
        );
      }
      if (code === GrpcStatus.UNAVAILABLE) {
        return make(
          'unreachable',
          `Cannot reach ${where}.${said} Check the address (setting podProfiler.pixie.address), the network, and for a self-hosted Vizier its TLS settings.`,
        );
      }
      return make('bad-response', `${where} failed (gRPC ${GrpcStatus[code] ?? code}).${said}`);
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return make('bad-response', `${where}: the result was too large or the server is overloaded.${said} Try a shorter window.`);
    case GrpcStatus.INVALID_ARGUMENT:
      return make('script', `${where} rejected the query.${said}`);
    default:
      return make('bad-response', `${where} failed (gRPC ${GrpcStatus[code] ?? code}).${said}`);
  }
}

/** A google.rpc.Code carried in an ExecuteScriptResponse.status (not a transport failure). */
export interface VizierStatus {
  code: number;
  message: string;
  compilerErrors: Array<{ line: number; column: number; message: string }>;
}

/**
 * Maps an in-stream Vizier status (compiler errors, runtime errors) to a PixieError. Compiler errors are
 * listed with their PxL line:column, since the user may want to report them.
 */
export function vizierStatusError(st: VizierStatus, ctx: PixieCallContext, secrets: readonly (string | undefined)[] = []): PixieError {
  const where = ctx.clusterId ? `Pixie (cluster ${ctx.clusterId})` : `Pixie at ${ctx.address}`;
  const parts = st.compilerErrors.map((c) => `line ${c.line}:${c.column}: ${c.message}`);
  const detail = [st.message, ...parts].filter((s) => s && s.trim()).join('; ') || `status code ${st.code}`;
  const scrubbed = redactSecrets(detail, secrets);
  if (st.code === GrpcStatus.UNAUTHENTICATED || st.code === GrpcStatus.PERMISSION_DENIED) {
    return new PixieError('auth', `${where} rejected the API key: ${scrubbed}. Run "${setApiKeyCommandTitle}" with a valid key.`, st.code);
  }
  if (st.code === GrpcStatus.NOT_FOUND && /cluster|vizier/i.test(st.message)) {
    return new PixieError('unknown-cluster', `${where}: ${scrubbed}. Check the cluster id or pick the cluster again.`, st.code);
  }
  if (st.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new PixieError('timeout', `${where}: the script ran out of time: ${scrubbed}. Try a shorter window.`, st.code);
  }
  if (st.code === GrpcStatus.UNAVAILABLE && disconnectedWords.test(st.message)) {
    return new PixieError('cluster-disconnected', `${where}: ${scrubbed}. Check \`px get viziers\` and that the Vizier pods are running.`, st.code);
  }
  const kind = st.compilerErrors.length > 0 ? 'compile' : 'run';
  return new PixieError(
    'script',
    `${where} could not ${kind} the profiling script: ${scrubbed}. The cluster's Pixie version may not support stack_traces.beta (the profiler must be enabled), or this is a bug in Pod Profiler's script.`,
    st.code,
  );
}

export function noSamplesError(pod: string, window: string, clusterId?: string): PixieError {
  return new PixieError(
    'no-samples',
    `Pixie has no CPU stack samples for pod ${pod} in the last ${window.replace(/^-/, '')}${clusterId ? ` (cluster ${clusterId})` : ''}. ` +
      `Try a longer window (the profiler pushes every 30 s), check that the pod is busy and running on a node with a Pixie PEM, ` +
      `or the pod's binary may lack symbols or its language may not be supported by Pixie's profiler.`,
  );
}
