// "Profile Pod...": kube context -> namespace -> pod -> container -> agent and duration/window, then
// record or query with a cancellable progress notification, and show the result in the editor.
// An argument {context, namespace, pod, container?, seconds?, agent?, window?} skips the pickers (automation).
import * as vscode from 'vscode';
import { loadKubeConfig, type LoadedKubeConfig } from '../sources/cluster/kubeContexts';
import { ClusterClient, type PodInfo } from '../sources/cluster/clusterClient';
import { isClusterError, ClusterError } from '../sources/cluster/clusterErrors';
import { choosePprofPort, fetchGoCpuProfile } from '../sources/agents/goPprofAgent';
import { isPixieError } from '../sources/agents/pixie/pixieErrors';
import { decodePprof } from '../formats/pprof';
import type { Profile } from '../model/profile';
import { config, type Agent } from '../config';
import { busyQuickPick } from './busyQuickPick';
import { formatAge } from './formatAge';
import { withCancellableProgress } from './cancellableProgress';
import { announce, resolveAndShow, type PresentDeps } from './presentProfile';
import type { PixieRunner } from './pixieProfile';
import type { StoredProfileRunner } from './storedProfileRunner';
import { isPyroscopeError } from '../sources/agents/pyroscope/pyroscopeErrors';
import { isParcaError } from '../sources/agents/parca/parcaErrors';

export interface ProfilePodArgs {
  context?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  seconds?: number;
  agent?: Agent;
  /** Pixie window such as -30s, -5m. */
  window?: string;
}

export interface ProfilePodDeps extends PresentDeps {
  readonly pixie: PixieRunner;
  readonly pyroscope: StoredProfileRunner;
  readonly parca: StoredProfileRunner;
}

/** What was chosen: enough to record again (live mode re-runs Pixie queries with it). */
export interface PodTarget {
  readonly kube: LoadedKubeConfig;
  readonly client: ClusterClient;
  readonly namespace: string;
  readonly pod: PodInfo;
  readonly container?: string;
}

class Dismissed extends Error {}

function parseArgs(raw: unknown): ProfilePodArgs {
  if (raw === undefined || raw === null || typeof raw !== 'object') return {};
  const a = raw as Record<string, unknown>;
  const str = (k: string) => (typeof a[k] === 'string' && a[k] ? (a[k] as string) : undefined);
  const seconds = typeof a.seconds === 'number' && a.seconds > 0 && a.seconds <= 3600 ? Math.round(a.seconds) : undefined;
  const agent = a.agent === 'goPprof' || a.agent === 'pixie' || a.agent === 'pyroscope' || a.agent === 'parca' ? a.agent : undefined;
  return { context: str('context'), namespace: str('namespace'), pod: str('pod'), container: str('container'), seconds, agent, window: str('window') };
}

export async function profilePod(deps: ProfilePodDeps, rawArgs?: unknown): Promise<boolean> {
  const args = parseArgs(rawArgs);
  try {
    const target = await pickTarget(args);
    const agent = args.agent ?? (await pickAgent());
    // sources.prepare() lists and indexes the workspace while the profile is recorded or queried, not after it
    // arrives; each branch calls it once its last picker is answered.
    let profile: Profile | undefined;
    let label: string;
    if (agent === 'pixie') {
      const run = await deps.pixie.prepare(target, args.window);
      if (!run) return false;
      label = run.label;
      const prepared = deps.sources.prepare();
      profile = await run.fetchWithProgress();
      if (!profile) return false;
      const loaded = await resolveAndShow(deps, profile, label, undefined, { prepared });
      void announce(loaded);
      run.offerLive(loaded);
      return true;
    }
    if (agent === 'pyroscope' || agent === 'parca') {
      // `seconds` is the look-back window here: the store already holds the samples.
      const windowSeconds = args.seconds ?? (await deps[agent].pickWindow());
      if (!windowSeconds) return false;
      const prepared = deps.sources.prepare();
      const got = await deps[agent].fetch(target, windowSeconds);
      if (!got) return false;
      void announce(await resolveAndShow(deps, got.profile, got.label, undefined, { prepared }));
      return true;
    }
    const seconds = args.seconds ?? (await pickSeconds());
    label = `${target.namespace}/${target.pod.name} (pprof, ${seconds} s)`;
    const prepared = deps.sources.prepare();
    profile = await recordGoPprof(deps, target, seconds);
    if (!profile) return false;
    const loaded = await resolveAndShow(deps, profile, label, undefined, { prepared });
    void announce(loaded);
    return true;
  } catch (e) {
    if (e instanceof Dismissed) return false;
    reportError(deps, e);
    return false;
  }
}

export function reportError(deps: PresentDeps, e: unknown): void {
  if ((isClusterError(e) || isPixieError(e) || isPyroscopeError(e) || isParcaError(e)) && e.kind === 'cancelled') {
    deps.log.info('profile pod: cancelled');
    return;
  }
  const msg = e instanceof Error ? e.message : String(e);
  deps.log.error(`profile pod: ${msg}`);
  const actions: string[] = [];
  if (isPixieError(e) && e.kind === 'auth') actions.push('Set Pixie API Key');
  if (isPyroscopeError(e) && e.kind === 'unauthenticated' && config.pyroscopeUrl()) actions.push('Set Pyroscope Credentials');
  if (isParcaError(e) && (e.kind === 'unauthenticated' || e.kind === 'forbidden') && config.parcaUrl()) actions.push('Set Parca Token');
  if ((isPyroscopeError(e) || isParcaError(e)) && ['not-found', 'bad-input', 'no-data', 'unreachable'].includes(e.kind)) actions.push('Open Settings');
  if ((isClusterError(e) && (e.kind === 'config' || e.kind === 'not-found')) || (isPixieError(e) && e.kind === 'unknown-cluster')) actions.push('Open Settings');
  actions.push('Show Log');
  void vscode.window.showErrorMessage(`Profile Pod: ${msg}`, ...actions).then((choice) => {
    if (choice === 'Set Pixie API Key') void vscode.commands.executeCommand('podProfiler.setPixieApiKey');
    if (choice === 'Set Pyroscope Credentials') void vscode.commands.executeCommand('podProfiler.setPyroscopeCredentials');
    if (choice === 'Set Parca Token') void vscode.commands.executeCommand('podProfiler.setParcaToken');
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'podProfiler');
    if (choice === 'Show Log') deps.log.show(true);
  });
}

async function pickTarget(args: ProfilePodArgs): Promise<PodTarget> {
  const kube = loadKubeConfig(config.kubeconfigPath());
  let contextName = args.context;
  if (contextName && !kube.contexts.some((c) => c.name === contextName)) {
    throw new ClusterError('config', `The kubeconfig (${kube.files.join(', ')}) has no context named "${contextName}".`);
  }
  if (!contextName) {
    if (kube.contexts.length === 0) throw new ClusterError('config', `The kubeconfig (${kube.files.join(', ')}) defines no contexts.`);
    const pick = await vscode.window.showQuickPick(
      kube.contexts.map((c) => ({
        label: c.name,
        description: c.current ? 'current' : undefined,
        detail: `cluster ${c.cluster}${c.server ? ` · ${c.server}` : ''} · user ${c.user}`,
        name: c.name,
      })),
      { title: 'Profile Pod (1/4): Kubernetes context', placeHolder: 'Which cluster?' },
    );
    if (!pick) throw new Dismissed();
    contextName = pick.name;
  }
  const client = new ClusterClient(kube.kc, contextName);
  const ctxInfo = kube.contexts.find((c) => c.name === contextName);

  const namespace =
    args.namespace ??
    (await busyQuickPick({
      title: `Profile Pod (2/4): namespace in ${contextName}`,
      placeholder: ctxInfo?.namespace ? `The context's default is ${ctxInfo.namespace}` : 'Which namespace?',
      load: async (signal) => {
        const names = await client.listNamespaces(signal);
        // The context's default namespace first: it is usually the one.
        const def = ctxInfo?.namespace;
        return def && names.includes(def) ? [def, ...names.filter((n) => n !== def)] : names;
      },
      toItem: (n) => ({ label: n }),
      emptyText: 'No namespaces visible with these credentials',
    }));
  if (!namespace) throw new Dismissed();

  let pod: PodInfo | undefined;
  if (args.pod) {
    const pods = await client.listPods(namespace);
    pod = pods.find((p) => p.name === args.pod);
    if (!pod) throw new ClusterError('not-found', `No pod named "${args.pod}" in namespace ${namespace} (context ${contextName}).`);
  } else {
    pod = await busyQuickPick<PodInfo>({
      title: `Profile Pod (3/4): pod in ${namespace}`,
      placeholder: 'Which pod? (type to filter by name, node or phase)',
      load: async (signal) => {
        const pods = await client.listPods(namespace, signal);
        // Running pods first: only they can be profiled.
        return [...pods.filter((p) => p.phase === 'Running' && !p.terminating), ...pods.filter((p) => p.phase !== 'Running' || p.terminating)];
      },
      toItem: (p) => ({
        label: `${p.phase === 'Running' && !p.terminating ? '$(pass)' : '$(circle-slash)'} ${p.name}`,
        description: `${p.terminating ? 'Terminating' : p.phase} · ${formatAge(p.createdAt)}`,
        detail: `node ${p.nodeName ?? '-'} · ${p.containers.map((c) => c.name).join(', ')}`,
      }),
      emptyText: `No pods in ${namespace}`,
    });
    if (!pod) throw new Dismissed();
  }
  if (pod.phase !== 'Running') {
    throw new ClusterError('not-found', `Pod ${namespace}/${pod.name} is ${pod.phase}, not Running: only running pods can be profiled.`);
  }

  let container = args.container;
  if (container && !pod.containers.some((c) => c.name === container)) {
    throw new ClusterError('not-found', `Pod ${namespace}/${pod.name} has no container "${container}" (it has ${pod.containers.map((c) => c.name).join(', ')}).`);
  }
  if (!container && pod.containers.length > 1) {
    const pick = await vscode.window.showQuickPick(
      pod.containers.map((c) => ({ label: c.name, description: c.image, detail: c.ports.map((p) => `${p.name ?? ''}:${p.containerPort}`).join(' ') || undefined })),
      { title: `Profile Pod: container of ${pod.name}`, placeHolder: 'Which container?' },
    );
    if (!pick) throw new Dismissed();
    container = pick.label;
  }
  return { kube, client, namespace, pod, container };
}

async function pickAgent(): Promise<Agent> {
  const configured = config.agent();
  if (configured !== 'ask') return configured;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Pixie', description: 'eBPF, always on: reads the samples Pixie already has', agent: 'pixie' as const },
      { label: 'Grafana Pyroscope', description: 'continuous profiles stored by Pyroscope (e.g. from Alloy\'s eBPF profiler)', agent: 'pyroscope' as const },
      { label: 'Parca', description: 'continuous profiles stored by Parca (parca-agent\'s eBPF profiler)', agent: 'parca' as const },
      { label: 'Go pprof endpoint', description: "records now from the pod's net/http/pprof", agent: 'goPprof' as const },
    ],
    { title: 'Profile Pod (4/4): profiler', placeHolder: 'Where do the stack samples come from? (setting podProfiler.agent skips this)' },
  );
  if (!pick) throw new Dismissed();
  return pick.agent;
}

async function pickSeconds(): Promise<number> {
  const def = config.pprofDefaultSeconds();
  const choices = [...new Set([10, def, 30, 60, 120])].sort((a, b) => a - b);
  const pick = await vscode.window.showQuickPick(
    [...choices.map((s) => ({ label: `${s} s`, description: s === def ? 'default' : undefined, seconds: s })), { label: 'Custom...', seconds: 0 }],
    { title: 'Profile Pod: recording length', placeHolder: 'How long to sample the CPU?' },
  );
  if (!pick) throw new Dismissed();
  if (pick.seconds > 0) return pick.seconds;
  const text = await vscode.window.showInputBox({
    title: 'Recording length in seconds',
    value: String(def),
    validateInput: (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 3600 ? undefined : 'A whole number of seconds from 1 to 3600'),
  });
  if (!text) throw new Dismissed();
  return +text;
}

/** Records with a countdown in a cancellable notification; undefined when the user cancelled. */
async function recordGoPprof(deps: PresentDeps, t: PodTarget, seconds: number): Promise<Profile | undefined> {
  const port = choosePprofPort(t.pod, config.pprofPort(), t.container);
  const where = `${t.namespace}/${t.pod.name}:${port.port}`;
  return withCancellableProgress(`Profiling ${where}`, async (signal, progress) => {
    const started = Date.now();
    const tick = setInterval(() => {
      const left = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      progress.report({ message: left > 0 ? `recording CPU samples, ${left} s left` : 'downloading the profile...', increment: 100 / (seconds + 2) });
    }, 1000);
    progress.report({ message: `recording CPU samples for ${seconds} s${port.warning ? ` (${port.warning})` : ''}` });
    try {
      const bytes = await fetchGoCpuProfile({
        kc: t.client.kc,
        namespace: t.namespace,
        pod: t.pod.name,
        port: port.port,
        seconds,
        signal,
        maxBytes: config.maxProfileBytes(),
      });
      deps.log.info(`pprof from ${where}: ${bytes.length} bytes after ${((Date.now() - started) / 1000).toFixed(1)} s (${seconds} s asked)`);
      return decodePprof(bytes, { source: `pprof from ${where}` });
    } finally {
      clearInterval(tick);
    }
  });
}
