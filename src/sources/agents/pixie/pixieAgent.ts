// The Pixie source of Profile pod: runs the stack-trace PxL for one pod on the cluster's Vizier (through
// Pixie Cloud, or direct to a self-hosted Vizier) and returns the Profile. No waiting: the eBPF profiler has
// been sampling all along, so the window is in the past.
import type { Profile } from '../../../model/profile';
import { PixieClient, defaultPixieCloudAddress, type PixieClusterInfo, type PixieTlsOptions } from './pixieClient';
import { PixieError, noSamplesError } from './pixieErrors';
import { buildStackTracePxl, defaultPixieWindow, normalizePixieWindow, pixieWindowSeconds, pxlOutputTable } from './pxlScript';
import { pixieRowsToProfile, toStackRows } from './pixieProfile';

export { defaultPixieCloudAddress, type PixieClusterInfo } from './pixieClient';

/** A self-hosted Vizier reached directly (its query broker's service), not through Pixie Cloud. */
export interface PixieDirectOptions {
  /** host:port of the Vizier (e.g. a port-forward or a LoadBalancer of vizier-query-broker). */
  address: string;
  /** PEM of the CA that signed Vizier's certificate. Default: system roots. */
  caPem?: string;
  /** Expected certificate name when it differs from the address host. */
  serverName?: string;
  /** No TLS (only for a hop you trust, e.g. 127.0.0.1). */
  plaintext?: boolean;
}

export interface PixieConnection {
  /** Pixie Cloud host:port. Default work.withpixie.ai:443. Ignored when `direct` is set. */
  address?: string;
  /** The Pixie API key (from SecretStorage). Never logged, never in error messages. */
  apiKey: string;
  /** TLS options for the cloud address (custom CA of a self-hosted Pixie Cloud). */
  cloudTls?: PixieTlsOptions;
  direct?: PixieDirectOptions;
  /** Deadline of each call. Default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PixieProfileRequest extends PixieConnection {
  /** Cluster UUID (with dashes). Required through Pixie Cloud; may be empty in direct mode. */
  clusterId: string;
  namespace: string;
  pod: string;
  container?: string;
  /** Relative window: "-30s" (default), "-1m", "-5m", or any "<n>s|m|h" (see normalizePixieWindow). */
  window?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function makePixieClient(conn: PixieConnection): PixieClient {
  if (conn.direct) {
    const d = conn.direct;
    return new PixieClient({
      address: d.address,
      apiKey: conn.apiKey,
      tls: d.plaintext ? false : { caPem: d.caPem, serverName: d.serverName },
      timeoutMs: conn.timeoutMs,
    });
  }
  return new PixieClient({ address: conn.address || defaultPixieCloudAddress, apiKey: conn.apiKey, tls: conn.cloudTls ?? {}, timeoutMs: conn.timeoutMs });
}

/** Fetches the pod's CPU stack samples for the window from Pixie and builds the Profile. Throws PixieError. */
export async function fetchPixieProfile(req: PixieProfileRequest): Promise<Profile> {
  const clusterId = (req.clusterId ?? '').trim();
  if (!req.direct && !uuidPattern.test(clusterId)) {
    throw new PixieError(
      'unknown-cluster',
      clusterId
        ? `"${clusterId.slice(0, 60)}" is not a Pixie cluster id (a UUID such as 4f1c2b7e-...). Pick the cluster again (\`px get viziers\` lists them).`
        : 'No Pixie cluster is selected. Pick one from the list of your Pixie clusters.',
    );
  }
  const window = normalizePixieWindow(req.window ?? defaultPixieWindow);
  const pxl = buildStackTracePxl({ namespace: req.namespace, pod: req.pod, container: req.container, window });
  const podName = `${req.namespace}/${req.pod}${req.container ? ` (${req.container})` : ''}`;
  const client = makePixieClient(req);
  try {
    const tables = await client.queryTables(pxl, { clusterId, signal: req.signal, timeoutMs: req.timeoutMs, queryName: 'pod-profiler-stack-traces' });
    const table = tables.get(pxlOutputTable);
    if (!table) {
      const got = [...tables.keys()].map((n) => `"${n}"`).join(', ') || 'none';
      throw new PixieError('bad-response', `Pixie returned no "${pxlOutputTable}" table (tables: ${got}).`);
    }
    const rows = toStackRows(table.rows);
    if (rows.length === 0) throw noSamplesError(podName, window, req.direct ? undefined : clusterId);
    return pixieRowsToProfile(rows, {
      source: `Pixie: ${podName}, last ${window.slice(1)}`,
      durationNanos: pixieWindowSeconds(window) * 1e9,
      capturedAt: Date.now(),
    });
  } finally {
    client.close();
  }
}

/** Clusters the API key can see, healthy first (Pixie Cloud only). Throws PixieError. */
export async function listPixieClusters(conn: PixieConnection): Promise<PixieClusterInfo[]> {
  if (conn.direct) throw new PixieError('unknown-cluster', 'A directly connected Vizier has no cluster list; the cluster id setting is used as is.');
  const client = makePixieClient(conn);
  try {
    const clusters = await client.listClusters({ signal: conn.signal, timeoutMs: conn.timeoutMs });
    const rank = (c: PixieClusterInfo) => (c.status === 'CS_HEALTHY' || c.status === 'CS_CONNECTED' ? 0 : c.status === 'CS_DEGRADED' ? 1 : 2);
    return clusters.sort((a, b) => rank(a) - rank(b) || a.prettyName.localeCompare(b.prettyName));
  } finally {
    client.close();
  }
}

/**
 * The cluster that stands for a kube context: the one whose cluster_name is the context name (Pixie records
 * `kubectl config current-context` at deploy time), else whose pretty name ends the context name
 * (gke_proj_zone_NAME, arn:...:cluster/NAME). Undefined when none or several match.
 */
export function clusterForKubeContext(clusters: readonly PixieClusterInfo[], kubeContext: string): PixieClusterInfo | undefined {
  const exact = clusters.filter((c) => c.name === kubeContext || c.prettyName === kubeContext);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return undefined;
  const suffix = clusters.filter((c) => {
    const n = c.prettyName || c.name;
    return n !== '' && (kubeContext.endsWith(`_${n}`) || kubeContext.endsWith(`/${n}`) || kubeContext.endsWith(`@${n}`));
  });
  return suffix.length === 1 ? suffix[0] : undefined;
}

/** Whether a cluster can run scripts now (for the picker's description and a pre-flight error). */
export function isClusterUsable(c: PixieClusterInfo): boolean {
  return c.status === 'CS_HEALTHY' || c.status === 'CS_CONNECTED' || c.status === 'CS_DEGRADED' || c.status === 'CS_UPDATING';
}
