// The user's kubeconfig: where it is loaded from (an explicit path, else KUBECONFIG, else ~/.kube/config),
// the contexts it offers (current first), and a KubeConfig bound to one chosen context.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from './clusterErrors';

export interface KubeContextInfo {
  name: string;
  cluster: string;
  /** The context's default namespace, if it sets one. */
  namespace?: string;
  user: string;
  /** API server URL of the context's cluster (undefined when the cluster entry is missing). */
  server?: string;
  current: boolean;
}

export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** Files it was read from, in merge order. */
  files: string[];
  currentContext: string;
  /** Current context first, then the others in file order. */
  contexts: KubeContextInfo[];
}

/** The files kubectl would read: KUBECONFIG's list, else ~/.kube/config. */
export function defaultKubeconfigFiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
  return [join(home, '.kube', 'config')];
}

/**
 * Loads the kubeconfig from `explicitPath` (a setting; '' or undefined means the default locations).
 * Throws a ClusterError of kind 'config' that says where it looked when nothing usable is found.
 */
export function loadKubeConfig(explicitPath?: string, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig {
  const files = explicitPath ? [explicitPath] : defaultKubeconfigFiles(env);
  const existing = files.filter((f) => existsSync(f));
  if (existing.length === 0) {
    const where = explicitPath ? `the file set in podProfiler.kubeconfigPath (${explicitPath})` : files.join(', ');
    throw new ClusterError(
      'config',
      `No kubeconfig found at ${where}. Get one with your cloud CLI (e.g. \`gcloud container clusters get-credentials\`, ` +
        `\`aws eks update-kubeconfig\`, \`az aks get-credentials\`) or set podProfiler.kubeconfigPath.`,
    );
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(existing[0]);
    for (const f of existing.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(f);
      kc.mergeConfig(more, true);
    }
  } catch (e) {
    throw new ClusterError('config', `Cannot read kubeconfig ${existing.join(', ')}: ${(e as Error).message}`);
  }
  const contexts = listKubeContexts(kc);
  if (contexts.length === 0) {
    throw new ClusterError('config', `The kubeconfig ${existing.join(', ')} defines no contexts.`);
  }
  return { kc, files: existing, currentContext: kc.getCurrentContext(), contexts };
}

/** Contexts of a loaded KubeConfig, current one first. */
export function listKubeContexts(kc: KubeConfig): KubeContextInfo[] {
  const current = kc.getCurrentContext();
  const infos = kc.getContexts().map(
    (c): KubeContextInfo => ({
      name: c.name,
      cluster: c.cluster,
      namespace: c.namespace || undefined,
      user: c.user,
      server: kc.getCluster(c.cluster)?.server,
      current: c.name === current,
    }),
  );
  return [...infos.filter((c) => c.current), ...infos.filter((c) => !c.current)];
}

/**
 * A KubeConfig whose current context is `contextName`, sharing clusters and users with `kc` (client-node
 * applies credentials and TLS of the *current* context, so each chosen context gets its own instance).
 */
export function kubeConfigForContext(kc: KubeConfig, contextName: string): KubeConfig {
  if (!kc.getContextObject(contextName)) {
    const names = kc.getContexts().map((c) => c.name);
    throw new ClusterError('config', `No kube context named "${contextName}" in your kubeconfig (it has: ${names.join(', ') || 'none'}).`);
  }
  if (kc.getCurrentContext() === contextName) return kc;
  const bound = new KubeConfig();
  bound.loadFromOptions({ clusters: kc.getClusters(), users: kc.getUsers(), contexts: kc.getContexts(), currentContext: contextName });
  return bound;
}
