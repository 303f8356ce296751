// The Go net/http/pprof agent: records a CPU profile by asking the pod's /debug/pprof/profile endpoint
// through the API server's pod proxy. The endpoint blocks for `seconds`, then returns a gzipped pprof.
import type { KubeConfig } from '@kubernetes/client-node';
import { proxyGet } from '../cluster/apiProxy';
import { ClusterError } from '../cluster/clusterErrors';

/** Pod annotation naming the port of the pod's net/http/pprof server. */
export const pprofPortAnnotation = 'podprofiler.dev/pprof-port';
/** Container port names taken to be a pprof server. */
export const pprofPortNames = ['pprof', 'http-pprof'];
export const defaultPprofPort = 6060;

export interface PodPortSource {
  annotations?: Record<string, string>;
  containers?: Array<{ name: string; ports: Array<{ containerPort: number; name?: string }> }>;
}

export interface PprofPortChoice {
  port: number;
  /** Where the port came from, for messages ("port 6060 from the setting podProfiler.pprof.port"). */
  source: 'annotation' | 'container-port' | 'default';
  /** Set when an annotation was present but unusable and was ignored. */
  warning?: string;
}

/**
 * The pod port to ask for /debug/pprof: the `podprofiler.dev/pprof-port` annotation if valid, else a container
 * port named `pprof`/`http-pprof` (in `container` if given, else any container), else `configuredDefault`.
 */
export function choosePprofPort(pod: PodPortSource, configuredDefault: number = defaultPprofPort, container?: string): PprofPortChoice {
  let warning: string | undefined;
  const raw = pod.annotations?.[pprofPortAnnotation];
  if (raw !== undefined) {
    const n = Number(raw.trim());
    if (Number.isInteger(n) && n >= 1 && n <= 65535 && raw.trim() !== '') return { port: n, source: 'annotation' };
    warning = `Ignored annotation ${pprofPortAnnotation}="${raw}": not a port number (1-65535).`;
  }
  const containers = (pod.containers ?? []).filter((c) => !container || c.name === container);
  for (const wanted of pprofPortNames) {
    for (const c of containers) {
      const p = c.ports.find((port) => port.name === wanted);
      if (p) return { port: p.containerPort, source: 'container-port', warning };
    }
  }
  const port = Number.isInteger(configuredDefault) && configuredDefault >= 1 && configuredDefault <= 65535 ? configuredDefault : defaultPprofPort;
  return { port, source: 'default', warning };
}

export interface GoCpuProfileRequest {
  /** KubeConfig whose current context is the cluster to use (see kubeConfigForContext / ClusterClient.kc). */
  kc: KubeConfig;
  namespace: string;
  pod: string;
  port: number;
  /** Recording length, 1..3600 s. */
  seconds: number;
  signal?: AbortSignal;
  /** Byte cap of the (compressed) profile. Default 64 MiB. */
  maxBytes?: number;
  /** Time allowed beyond `seconds` for the pod and the API server to answer. Default 30 s. */
  graceMs?: number;
}

/** Fetches `/debug/pprof/profile?seconds=N` from the pod; resolves to the raw (normally gzipped) pprof bytes. */
export async function fetchGoCpuProfile(req: GoCpuProfileRequest): Promise<Uint8Array> {
  const { seconds } = req;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new ClusterError('config', `Profile duration must be a whole number of seconds from 1 to 3600 (got ${seconds}).`);
  }
  const body = await proxyGet(
    req.kc,
    { namespace: req.namespace, name: req.pod, port: req.port, path: `/debug/pprof/profile?seconds=${seconds}` },
    {
      signal: req.signal,
      timeoutMs: seconds * 1000 + (req.graceMs ?? 30_000),
      maxBytes: req.maxBytes ?? 64 * 1024 * 1024,
    },
  );
  if (!looksLikePprof(body)) {
    const text = body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
    throw new ClusterError(
      'bad-response',
      `Pod "${req.pod}" port ${req.port} answered /debug/pprof/profile with something that is not a pprof profile` +
        (/^[\x20-\x7e]*$/.test(text) && text ? ` ("${text}")` : '') +
        `. Is that port the service's net/http/pprof server? Set the pod annotation ${pprofPortAnnotation}.`,
    );
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

/** gzip magic, or a protobuf whose first field is a length-delimited or varint field 1..15 (Profile.sample_type). */
function looksLikePprof(b: Buffer): boolean {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true;
  if (b.length === 0) return false;
  const field = b[0] >> 3;
  const wire = b[0] & 7;
  return field >= 1 && field <= 15 && (wire === 0 || wire === 2);
}
