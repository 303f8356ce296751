// Read-only views of one kube context: namespaces and pods, as plain data for pickers and agents.
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from './clusterErrors';
import { kubeConfigForContext } from './kubeContexts';
import { kubeGetJson, serverUrl, type KubeGetOptions } from './kubeRequest';

export interface ContainerPortInfo {
  containerPort: number;
  name?: string;
  protocol?: string;
}

export interface ContainerInfo {
  name: string;
  image?: string;
  ports: ContainerPortInfo[];
}

export interface PodInfo {
  name: string;
  namespace: string;
  /** status.phase: Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  /** True when the pod is being deleted (kubectl shows "Terminating"). */
  terminating: boolean;
  nodeName?: string;
  podIP?: string;
  createdAt?: Date;
  containers: ContainerInfo[];
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

/** Shapes of the API objects we read (core/v1), only the fields used. */
interface ObjectMeta {
  name?: string;
  namespace?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}
interface ListMeta {
  continue?: string;
}
interface V1List<T> {
  kind?: string;
  metadata?: ListMeta;
  items?: T[];
}
interface V1Namespace {
  metadata?: ObjectMeta;
}
interface V1Pod {
  metadata?: ObjectMeta;
  spec?: {
    nodeName?: string;
    containers?: Array<{ name?: string; image?: string; ports?: Array<{ containerPort?: number; name?: string; protocol?: string }> }>;
  };
  status?: { phase?: string; podIP?: string };
}

export interface ListOptions {
  signal?: AbortSignal;
  /** Per page. Default 30 s. */
  timeoutMs?: number;
}

const pageSize = 500;
/** Stop paging after this many objects: a picker can't show more anyway. */
const maxItems = 20_000;

export class ClusterClient {
  /** The KubeConfig bound to this client's context (for agents that need raw requests). */
  readonly kc: KubeConfig;

  constructor(
    kc: KubeConfig,
    readonly context: string = kc.getCurrentContext(),
  ) {
    this.kc = kubeConfigForContext(kc, context);
  }

  /** API server URL of this context. */
  get server(): string {
    return serverUrl(this.kc);
  }

  /** Namespace names, sorted. */
  async listNamespaces(signal?: AbortSignal, options: ListOptions = {}): Promise<string[]> {
    const items = await this.listAll<V1Namespace>('/api/v1/namespaces', { verb: 'list', resource: 'namespaces' }, { signal, ...options });
    return items
      .map((n) => n.metadata?.name)
      .filter((n): n is string => !!n)
      .sort();
  }

  /** Pods of a namespace, sorted by name. */
  async listPods(namespace: string, signal?: AbortSignal, options: ListOptions = {}): Promise<PodInfo[]> {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
      throw new ClusterError('config', `Invalid namespace name "${namespace}".`);
    }
    const items = await this.listAll<V1Pod>(
      `/api/v1/namespaces/${namespace}/pods`,
      { verb: 'list', resource: 'pods', namespace },
      { signal, ...options },
    );
    return items.map((p) => toPodInfo(p, namespace)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One pod (e.g. when the automation contract names it, to read its annotations and ports). */
  async getPod(namespace: string, name: string, signal?: AbortSignal, options: ListOptions = {}): Promise<PodInfo> {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      throw new ClusterError('config', `Invalid pod "${namespace}/${name}".`);
    }
    const pod = await kubeGetJson<V1Pod>(this.kc, `/api/v1/namespaces/${namespace}/pods/${name}`, { verb: 'get', resource: 'pods', namespace, name }, { signal, ...options });
    return toPodInfo(pod, namespace);
  }

  private async listAll<T>(path: string, purpose: { verb: string; resource: string; namespace?: string }, options: KubeGetOptions): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const query = `?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
      const list = await kubeGetJson<V1List<T>>(this.kc, path + query, purpose, options);
      if (!Array.isArray(list?.items)) {
        throw new ClusterError('bad-response', `The API server at ${this.server} answered ${path} without an items list.`);
      }
      out.push(...list.items);
      cont = list.metadata?.continue || undefined;
    } while (cont && out.length < maxItems);
    return out;
  }
}

export function toPodInfo(p: V1Pod, namespace: string): PodInfo {
  const created = p.metadata?.creationTimestamp ? new Date(p.metadata.creationTimestamp) : undefined;
  return {
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? namespace,
    phase: p.status?.phase ?? 'Unknown',
    terminating: !!p.metadata?.deletionTimestamp,
    nodeName: p.spec?.nodeName || undefined,
    podIP: p.status?.podIP || undefined,
    createdAt: created && !Number.isNaN(created.getTime()) ? created : undefined,
    containers: (p.spec?.containers ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image,
      ports: (c.ports ?? [])
        .filter((port) => typeof port.containerPort === 'number')
        .map((port) => ({ containerPort: port.containerPort!, name: port.name || undefined, protocol: port.protocol })),
    })),
    annotations: { ...(p.metadata?.annotations ?? {}) },
    labels: { ...(p.metadata?.labels ?? {}) },
  };
}
