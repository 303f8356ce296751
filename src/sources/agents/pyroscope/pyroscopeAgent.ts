// The Grafana Pyroscope source of Profile pod: asks Pyroscope (continuous profiling, e.g. fed by Grafana
// Alloy's pyroscope.ebpf or the language SDKs) for the pod's CPU samples of a past window, merged into one
// pprof by SelectMergeProfile, and decodes it into the Profile model. Like Pixie: no waiting, the samples
// were collected all along.
import { defaultStoreWindowSeconds, lookbackWindow, maxStoreWindowSeconds, windowText } from '../storeWindow';
import type { Profile } from '../../../model/profile';
import { countPprofSamples, decodePprof } from '../../../formats/pprof';
import { ProfileFormatError } from '../../../formats/profileFormatError';
import { connectUnary, decodeAnswer, type CallOptions } from './pyroscopeClient';
import { PyroscopeError, noDataError } from './pyroscopeErrors';
import { buildLabelSelector } from './labelSelector';
import {
  decodeLabelValuesResponse,
  decodeProfileTypesResponse,
  encodeLabelValuesRequest,
  encodeProfileTypesRequest,
  encodeSelectMergeProfileRequest,
  labelValuesPath,
  profileTypesPath,
  selectMergeProfilePath,
  type PyroProfileType,
} from './pyroscopeProtocol';
import type { PyroscopeTransport } from './pyroscopeTransport';

export { defaultLabelSelectorTemplate, buildLabelSelector } from './labelSelector';
export { directTransport, serviceProxyTransport, parseServiceRef, defaultPyroscopeService, type PyroscopeTransport, type ServiceRef } from './pyroscopeTransport';
export { PyroscopeError, isPyroscopeError, setPyroscopeCredentialsCommandTitle, type PyroscopeErrorKind } from './pyroscopeErrors';

/** The CPU type of Pyroscope's SDKs and of Alloy's eBPF profiler. */
export const preferredCpuProfileType = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
export const defaultPyroscopeWindowSeconds = defaultStoreWindowSeconds;
/** Longest window accepted (a merge over a whole day is already a heavy query). */
export const maxPyroscopeWindowSeconds = maxStoreWindowSeconds;

export interface PyroscopeConnection extends CallOptions {
  transport: PyroscopeTransport;
}

export interface PyroscopeProfileRequest extends PyroscopeConnection {
  namespace: string;
  pod: string;
  container?: string;
  /** Selector template with ${namespace}, ${pod}, ${container}; default defaultLabelSelectorTemplate. */
  labelSelectorTemplate?: string;
  /** Profile type ID; default: the CPU type chosen from ProfileTypes (see chooseCpuProfileType). */
  profileType?: string;
  /** The last N seconds (default 60). Ignored when start and end are given. */
  windowSeconds?: number;
  /** Explicit window, ms since epoch. */
  start?: number;
  end?: number;
  /** Passed as SelectMergeProfile's max_nodes (the server's default when absent). */
  maxNodes?: number;
  /** Gzip guard for decodePprof (Pyroscope answers plain protobuf, but a proxy may compress). */
  maxDecompressedBytes?: number;
}

/** Window [start, end] in ms and its text for messages ("60s"). */
export function resolveWindow(req: Pick<PyroscopeProfileRequest, 'windowSeconds' | 'start' | 'end'>, now = Date.now()): { start: number; end: number; text: string } {
  if (req.start !== undefined || req.end !== undefined) {
    const { start, end } = req;
    if (start === undefined || end === undefined || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
      throw new PyroscopeError('bad-input', `The time window needs whole millisecond start < end (got ${start}..${end}).`);
    }
    if (end - start > maxPyroscopeWindowSeconds * 1000) throw new PyroscopeError('bad-input', `The time window is longer than 24 h; choose a shorter one.`);
    return { start, end, text: windowText((end - start) / 1000) };
  }
  return lookbackWindow(req.windowSeconds ?? defaultPyroscopeWindowSeconds, now, 'Pyroscope', (kind, message) => new PyroscopeError(kind, message));
}

/** Profile types Pyroscope holds data for in [start, end] (ms). Throws PyroscopeError. */
export async function listPyroscopeProfileTypes(conn: PyroscopeConnection, window?: { start: number; end: number }): Promise<PyroProfileType[]> {
  const body = await connectUnary(conn.transport, profileTypesPath, encodeProfileTypesRequest({ start: window?.start, end: window?.end }), conn);
  const res = decodeAnswer(conn.transport, profileTypesPath, body, decodeProfileTypesResponse);
  return (res.profile_types ?? []).filter((t) => typeof t.ID === 'string' && t.ID !== '');
}

/**
 * The CPU profile type to query: process_cpu:cpu:nanoseconds:cpu:nanoseconds when present, else another
 * process_cpu type with cpu samples, else any process_cpu type, else any type whose samples are cpu.
 */
export function chooseCpuProfileType(types: readonly PyroProfileType[]): PyroProfileType | undefined {
  const parts = (t: PyroProfileType) => {
    const p = (t.ID ?? '').split(':');
    return { name: t.name || p[0], sample: t.sample_type || p[1] };
  };
  return (
    types.find((t) => t.ID === preferredCpuProfileType) ??
    types.find((t) => parts(t).name === 'process_cpu' && parts(t).sample === 'cpu') ??
    types.find((t) => parts(t).name === 'process_cpu') ??
    types.find((t) => parts(t).sample === 'cpu')
  );
}

/** Values of `label` among series matching `matchers` (e.g. pods with profiles: label "pod", {namespace="shop"}). */
export async function listPyroscopeLabelValues(
  conn: PyroscopeConnection,
  label: string,
  matchers: string[],
  window: { start: number; end: number },
): Promise<string[]> {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(label)) throw new PyroscopeError('bad-input', `"${label.slice(0, 60)}" is not a label name.`);
  const body = await connectUnary(conn.transport, labelValuesPath, encodeLabelValuesRequest({ name: label, matchers, start: window.start, end: window.end }), conn);
  return decodeAnswer(conn.transport, labelValuesPath, body, decodeLabelValuesResponse).names ?? [];
}

/** Fetches the pod's merged CPU profile of the window from Pyroscope. Throws PyroscopeError. */
export async function fetchPyroscopeProfile(req: PyroscopeProfileRequest): Promise<Profile> {
  const { transport } = req;
  const selector = buildLabelSelector(req.labelSelectorTemplate, { namespace: req.namespace, pod: req.pod, container: req.container });
  const window = resolveWindow(req);
  let profileType = req.profileType?.trim();
  if (profileType && profileType.split(':').length !== 5) {
    throw new PyroscopeError(
      'bad-input',
      `"${profileType.slice(0, 100)}" is not a Pyroscope profile type ID (name:sample type:unit:period type:unit, e.g. ${preferredCpuProfileType}). ` +
        `Clear podProfiler.pyroscope.profileType to pick the CPU type automatically.`,
    );
  }
  if (!profileType) {
    const types = await listPyroscopeProfileTypes(req, window);
    const cpu = chooseCpuProfileType(types);
    if (!cpu) {
      const have = types.map((t) => t.ID).join(', ');
      throw new PyroscopeError(
        'no-data',
        `${transport.where} has no CPU profiles in the last ${window.text}` +
          (have ? ` (it has: ${have.slice(0, 400)}). Set podProfiler.pyroscope.profileType to one of them.` : ': it holds no profiles at all for that time. Check that a profiler (e.g. Grafana Alloy\'s pyroscope.ebpf) sends to it.'),
      );
    }
    profileType = cpu.ID!;
  }

  const body = await connectUnary(
    transport,
    selectMergeProfilePath,
    encodeSelectMergeProfileRequest({
      profile_typeID: profileType,
      label_selector: selector,
      start: window.start,
      end: window.end,
      ...(req.maxNodes !== undefined ? { max_nodes: req.maxNodes } : {}),
    }),
    req,
  );
  const podName = `${req.namespace}/${req.pod}${req.container ? ` (${req.container})` : ''}`;
  if (body.length === 0 || countPprofSamples(body) === 0) throw noDataError(selector, profileType, window.text, transport.where);
  let profile: Profile;
  try {
    profile = decodePprof(body, {
      source: `Pyroscope: ${podName}, last ${window.text}`,
      sampleType: profileType.split(':')[1] || undefined,
      maxDecompressedBytes: req.maxDecompressedBytes,
    });
  } catch (e) {
    if (e instanceof ProfileFormatError) {
      throw new PyroscopeError(
        'bad-response',
        `${transport.where} answered SelectMergeProfile with a profile that cannot be read: ${e.message.replace(/^Pyroscope: [^:]*: /, '')}`,
      );
    }
    throw e;
  }
  if (profile.totalValue <= 0) throw noDataError(selector, profileType, window.text, transport.where);
  return profile;
}
