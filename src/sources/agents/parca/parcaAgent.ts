// The Parca source of Profile pod: asks a Parca server (continuous profiling, fed by parca-agent's eBPF
// profiler on every node) for the pod's CPU samples of a past window, merged into one pprof by
// QueryService/Query (MODE_MERGE, REPORT_TYPE_PPROF), and decodes it into the Profile model. No waiting:
// the samples were collected all along. Calls are gRPC-Web unary POSTs over HTTP/1.1, which Parca serves on
// its HTTP port next to native gRPC (its own web UI talks to it this way).
import { defaultStoreWindowSeconds, lookbackWindow, maxStoreWindowSeconds } from '../storeWindow';
import { secondsText } from '../storeHttp';
import type { Profile } from '../../../model/profile';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, countPprofSamples, decodePprof, gunzipCapped, isGzip } from '../../../formats/pprof';
import { ProfileFormatError } from '../../../formats/profileFormatError';
import { GrpcWebFrameError, encodeGrpcWebFrame, grpcStatusOf, grpcWebContentType, parseGrpcWebBody } from './grpcWeb';
import {
  MODE_MERGE,
  REPORT_TYPE_PPROF,
  decodeProfileTypesResponse,
  decodeQueryResponse,
  encodeProfileTypesRequest,
  encodeQueryRequest,
  profileTypeId,
  profileTypesPath,
  queryPath,
  timestampOf,
  type ParcaProfileType,
} from './parcaProtocol';
import {
  ParcaError,
  defaultSettingNames,
  errorFromGrpcStatus,
  errorFromHttpStatus,
  noDataError,
  notGrpcWebError,
  type ParcaCallContext,
  type ParcaSettingNames,
} from './parcaErrors';
import { scrub, secretsOfAuthorization } from '../storeErrors';
import { buildParcaSelectorParts } from './labelSelector';
import { defaultParcaMaxBytes, type UnaryPost } from './parcaTransport';

export { defaultParcaLabelSelector, buildParcaLabelSelector } from './labelSelector';
export { promqlString } from '../labelValueLiteral';
export { ParcaError, isParcaError, type ParcaErrorKind, type ParcaSettingNames } from './parcaErrors';
export {
  directParcaEndpoint,
  serviceProxyParcaEndpoint,
  parseParcaServiceRef,
  defaultParcaService,
  type ParcaEndpoint,
  type ParcaServiceRef,
  type UnaryPost,
  type UnaryAnswer,
  type UnaryPostOptions,
} from './parcaTransport';
export type { ParcaProfileType } from './parcaProtocol';

/** parca-agent's on-CPU type (parca-agent reporter/parca_reporter.go writes "parca_agent", samples/count, cpu/nanoseconds). */
export const preferredParcaCpuProfileType = 'parca_agent:samples:count:cpu:nanoseconds:delta';
export const defaultParcaWindowSeconds = defaultStoreWindowSeconds;
export const maxParcaWindowSeconds = maxStoreWindowSeconds;
const defaultCallTimeoutMs = 30_000;

export interface ParcaConnection {
  /** The transport (directParcaEndpoint(...).post or serviceProxyParcaEndpoint(...).post, or a test's). */
  post: UnaryPost;
  /** Words for the server in messages; default "Parca". */
  where?: string;
  /** Full Authorization header value ("Bearer ..."), from SecretStorage. Never logged. */
  authorization?: string;
  signal?: AbortSignal;
  /** Deadline of each call (headers and body). Default 30 s; also sent as grpc-timeout. */
  timeoutMs?: number;
  /** Largest answer accepted. Default 64 MiB. */
  maxBytes?: number;
  /** Setting names used in hints (defaults: podProfiler.parca.*). */
  settings?: Partial<ParcaSettingNames>;
}

export interface ParcaProfileRequest extends ParcaConnection {
  namespace: string;
  pod: string;
  container?: string;
  /** Label selector template with ${namespace}, ${pod}, ${container}; default defaultParcaLabelSelector. */
  queryTemplate?: string;
  /** Profile type, e.g. parca_agent:samples:count:cpu:nanoseconds:delta; default: chosen from ProfileTypes. */
  profileType?: string;
  /** The last N seconds (default 60). */
  windowSeconds?: number;
  /** Explicit window end, ms since epoch (default now). */
  end?: number;
  /** Gzip guard for decodePprof. */
  maxDecompressedBytes?: number;
}

function settingsOf(conn: ParcaConnection): ParcaSettingNames {
  return { ...defaultSettingNames, ...conn.settings };
}

/**
 * One gRPC-Web unary call: frames the request, runs it under the deadline and the caller's signal, and returns
 * the single response message. Every failure is a ParcaError.
 */
export async function grpcWebUnary(conn: ParcaConnection, path: string, request: Uint8Array): Promise<Buffer> {
  const where = conn.where ?? 'Parca';
  const method = path.split('/').pop() ?? path;
  const authorization = conn.authorization?.trim() || undefined;
  const secrets = secretsOfAuthorization(authorization);
  const ctx: ParcaCallContext = { where, method, sentCredentials: authorization !== undefined, settings: settingsOf(conn) };
  if (authorization && /[\r\n]/.test(authorization)) throw new ParcaError('bad-input', `The stored Parca token contains a line break; set it again ("${ctx.settings!.credentialsCommand}").`);
  const timeoutMs = conn.timeoutMs ?? defaultCallTimeoutMs;
  const maxBytes = conn.maxBytes ?? defaultParcaMaxBytes;
  if (conn.signal?.aborted) throw new ParcaError('cancelled', 'Parca query cancelled.');

  // Our own deadline and cancellation around the transport: a transport that ignores its options still cannot hang us.
  const inner = new AbortController();
  let timedOut = false;
  let rejectEarly!: (e: ParcaError) => void;
  const early = new Promise<never>((_, reject) => (rejectEarly = reject));
  const onAbort = () => {
    inner.abort();
    rejectEarly(new ParcaError('cancelled', 'Parca query cancelled.'));
  };
  const timer = setTimeout(() => {
    timedOut = true;
    inner.abort();
    rejectEarly(
      new ParcaError(
        'timeout',
        `${where} did not answer ${method} within ${secondsText(timeoutMs)}. It may be overloaded or unreachable; try again, or a shorter window.`,
      ),
    );
  }, timeoutMs);
  conn.signal?.addEventListener('abort', onAbort, { once: true });
  const headers: Record<string, string> = {
    'Content-Type': grpcWebContentType,
    Accept: grpcWebContentType,
    'X-Grpc-Web': '1',
    // grpc-go reads it from gRPC-Web requests too: the server gives up when we do.
    'Grpc-Timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
    ...(authorization ? { Authorization: authorization } : {}),
  };
  let answer;
  try {
    answer = await Promise.race([early, conn.post(path, encodeGrpcWebFrame(request), headers, { signal: inner.signal, timeoutMs: timeoutMs + 1000, maxBytes })]);
  } catch (e) {
    if (e instanceof ParcaError) {
      if (e.kind === 'cancelled' && timedOut) throw new ParcaError('timeout', `${where} did not answer ${method} within ${secondsText(timeoutMs)}; try again, or a shorter window.`);
      throw new ParcaError(e.kind, scrub(e.message, secrets), e.status, e.grpcCode);
    }
    throw new ParcaError('unreachable', scrub(`${where} failed ${method}: ${String((e as Error)?.message ?? e)}`, secrets));
  } finally {
    clearTimeout(timer);
    conn.signal?.removeEventListener('abort', onAbort);
  }
  early.catch(() => undefined);

  const contentType = String(headerValue(answer.headers, 'content-type') ?? '');
  const headerStatus = grpcStatusOf(undefined, answer.headers);
  if (answer.status !== 200) {
    // A gRPC server may pair an HTTP error with grpc-status (e.g. a gateway); prefer the gRPC meaning.
    if (headerStatus && headerStatus.code !== 0) throw errorFromGrpcStatus(ctx, headerStatus, answer.status, secrets);
    throw errorFromHttpStatus(ctx, answer.status, answer.body, secrets);
  }
  if (!/^application\/grpc-web/i.test(contentType)) {
    if (headerStatus && headerStatus.code !== 0) throw errorFromGrpcStatus(ctx, headerStatus, answer.status, secrets);
    throw notGrpcWebError(ctx, contentType, answer.body, answer.status);
  }
  let parsed;
  try {
    parsed = parseGrpcWebBody(answer.body, maxBytes);
  } catch (e) {
    if (e instanceof GrpcWebFrameError) {
      throw new ParcaError(
        'bad-response',
        `${where} sent a ${method} answer that cannot be read: ${e.message} ` +
          (e.reason === 'truncated' ? 'The answer was cut off on the way (a proxy limit?); try again or a shorter window.' : 'Is that really Parca?'),
        answer.status,
      );
    }
    throw e;
  }
  const st = grpcStatusOf(parsed.trailers, answer.headers);
  if (!st) {
    throw new ParcaError(
      'bad-response',
      `${where} ended its ${method} answer without a gRPC status (no trailers): the answer was cut off or a proxy dropped the ` +
        `trailers. Try again; if it persists, reach Parca directly (port-forward) instead of through the proxy.`,
      answer.status,
    );
  }
  if (st.code !== 0) throw errorFromGrpcStatus(ctx, st, answer.status, secrets);
  if (parsed.messages.length !== 1) {
    throw new ParcaError('bad-response', `${where} answered ${method} with ${parsed.messages.length} messages instead of one.`, answer.status);
  }
  return parsed.messages[0];
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

function decodeOrThrow<T>(where: string, method: string, decode: (b: Uint8Array) => T, body: Uint8Array): T {
  try {
    return decode(body);
  } catch (e) {
    throw new ParcaError('bad-response', `${where} answered ${method} with a message that does not decode (${(e as Error).message}). Is that really Parca?`);
  }
}

/** Profile types Parca holds data for (in the window when given, ms since epoch). Throws ParcaError. */
export async function listParcaProfileTypes(conn: ParcaConnection, window?: { start: number; end: number }): Promise<ParcaProfileType[]> {
  const req = encodeProfileTypesRequest(window ? { start: timestampOf(window.start), end: timestampOf(window.end) } : {});
  const body = await grpcWebUnary(conn, profileTypesPath, req);
  const res = decodeOrThrow(conn.where ?? 'Parca', 'ProfileTypes', decodeProfileTypesResponse, body);
  return (res.types ?? []).filter((t) => !!t.name);
}

const isCpuPeriod = (t: ParcaProfileType) => t.period_type === 'cpu';

/**
 * The CPU type to query, in the order Parca's own UI picks its default (ui/.../useAutoQuerySelector.ts):
 * parca_agent samples (delta), the OpenTelemetry eBPF profiler, the older otel agent, parca_agent_cpu, then
 * process_cpu (Go /debug/pprof/profile scraped by Parca), then any type with a cpu period.
 */
export function chooseParcaCpuProfileType(types: readonly ParcaProfileType[]): ParcaProfileType | undefined {
  const named = (name: string, extra: (t: ParcaProfileType) => boolean = () => true) => types.find((t) => t.name === name && !!t.delta && extra(t));
  return (
    named('parca_agent', (t) => t.sample_type === 'samples') ??
    named('go_opentelemetry_io_ebpf_profiler') ??
    named('otel_profiling_agent_on_cpu') ??
    named('parca_agent_cpu') ??
    named('process_cpu', (t) => t.sample_type === 'samples') ??
    named('process_cpu') ??
    types.find((t) => isCpuPeriod(t) && t.name !== 'parca_agent') // not parca_agent's off-CPU wallclock type
  );
}

const profileTypePattern = /^[A-Za-z_][A-Za-z0-9_.]*(:[A-Za-z0-9_.]+){4}(:delta)?$/;

/** Window [start, end] in ms and its text for messages ("1m"). */
export function parcaWindow(req: Pick<ParcaProfileRequest, 'windowSeconds' | 'end'>, now = Date.now()): { start: number; end: number; text: string } {
  const window = lookbackWindow(req.windowSeconds ?? defaultParcaWindowSeconds, req.end ?? now, 'Parca', (kind, message) => new ParcaError(kind, message));
  if (!Number.isSafeInteger(window.end) || window.end <= 0) throw new ParcaError('bad-input', `The window end ${req.end} is not a time.`);
  return window;
}

/** Fetches the pod's merged CPU profile of the window from Parca. Throws ParcaError. */
export async function fetchParcaProfile(req: ParcaProfileRequest): Promise<Profile> {
  const settings = settingsOf(req);
  const where = req.where ?? 'Parca';
  const { selector, labels } = buildParcaSelectorParts(req.queryTemplate, { namespace: req.namespace, pod: req.pod, container: req.container }, settings.query);
  const window = parcaWindow(req);
  let profileType = req.profileType?.trim();
  if (profileType && !profileTypePattern.test(profileType)) {
    throw new ParcaError(
      'bad-input',
      `"${profileType.slice(0, 100)}" is not a Parca profile type (name:sample type:unit:period type:unit[:delta], e.g. ${preferredParcaCpuProfileType}). ` +
        `Clear ${settings.profileType} to pick the CPU type automatically.`,
    );
  }
  if (!profileType) {
    const types = await listParcaProfileTypes(req, window);
    const cpu = chooseParcaCpuProfileType(types);
    if (!cpu) {
      const have = types.map(profileTypeId).join(', ');
      throw new ParcaError(
        'no-data',
        `${where} has no CPU profiles in the last ${window.text}` +
          (have
            ? ` (it has: ${have.slice(0, 400)}). Set ${settings.profileType} to one of them.`
            : `: it holds no profiles at all for that time. Check that parca-agent runs on the cluster's nodes and sends to this Parca.`),
      );
    }
    profileType = profileTypeId(cpu);
  }

  const query = `${profileType}${selector}`;
  const body = await grpcWebUnary(
    req,
    queryPath,
    encodeQueryRequest({ mode: MODE_MERGE, merge: { query, start: timestampOf(window.start), end: timestampOf(window.end) }, report_type: REPORT_TYPE_PPROF }),
  );
  const res = decodeOrThrow(where, 'Query', decodeQueryResponse, body);
  const pprof = res.pprof;
  if (!pprof || pprof.length === 0) throw noDataError(where, query, window.text, labels, settings);
  const podName = `${req.namespace}/${req.pod}${req.container ? ` (${req.container})` : ''}`;
  let profile: Profile;
  try {
    const maxDecompressedBytes = req.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    const raw = isGzip(pprof) ? gunzipCapped(pprof, maxDecompressedBytes, `Parca: ${podName}`) : pprof;
    // Parca merges no series into a pprof without samples (and maybe without sample types): that is "no data".
    if (countPprofSamples(raw) === 0) throw noDataError(where, query, window.text, labels, settings);
    const options = { source: `Parca: ${podName}, last ${window.text}`, maxDecompressedBytes };
    const wanted = profileType.split(':')[1] || undefined;
    try {
      profile = decodePprof(raw, { ...options, sampleType: wanted });
    } catch (e) {
      // The pprof names its values differently from the type's name: take decodePprof's default choice.
      if (!(e instanceof ProfileFormatError) || !e.message.includes(`no "${wanted}" values`)) throw e;
      profile = decodePprof(raw, options);
    }
  } catch (e) {
    if (e instanceof ProfileFormatError) {
      throw new ParcaError('bad-response', `${where} answered Query with a pprof profile that cannot be read: ${e.message.replace(/^Parca: [^:]*: /, '')}`);
    }
    throw e;
  }
  if (profile.totalValue <= 0) throw noDataError(where, query, window.text, labels, settings);
  return profile;
}
