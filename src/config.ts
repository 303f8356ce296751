// Typed access to the extension's settings (package.json "contributes.configuration").
import * as vscode from 'vscode';
import type { PathSubstitution } from './resolve/pathMapper';

const section = 'podProfiler';

function get<T>(key: string, fallback: T, scope?: vscode.ConfigurationScope): T {
  return vscode.workspace.getConfiguration(section, scope).get<T>(key, fallback);
}

export type Agent = 'goPprof' | 'pixie' | 'pyroscope' | 'parca';
export type AgentChoice = 'ask' | Agent;

export const config = {
  agent: (): AgentChoice => get<AgentChoice>('agent', 'ask'),
  kubeconfigPath: (): string | undefined => expandHome(get('kubeconfigPath', '')) || undefined,
  pprofPort: (): number => get('pprof.port', 6060),
  pprofDefaultSeconds: (): number => get('pprof.defaultSeconds', 30),
  maxProfileBytes: (): number => Math.max(1, get('maxProfileMegabytes', 64)) * 1024 * 1024,
  sourceFilesGlob: (): string => get('sourceFiles', '**/*.{go,c,cc,cpp,cxx,h,hh,hpp,hxx,rs,java,kt,js,mjs,cjs,ts,tsx,py}'),
  codeLensEnabled: (): boolean => get('codeLens.enabled', true),
  codeLensMinTotalPercent: (): number => get('codeLens.minTotalPercent', 1),
  heatEnabled: (): boolean => get('heat.enabled', true),
  heatMinSelfPercent: (): number => get('heat.minSelfPercent', 0.2),
  openOnStartup: (folder: vscode.WorkspaceFolder): string => get('openOnStartup', '', folder.uri),
  pixieCloudAddress: (): string => get('pixie.cloudAddress', 'work.withpixie.ai:443'),
  pixieClusterId: (): string => get('pixie.clusterId', ''),
  pixieDirectAddress: (): string => get('pixie.directAddress', ''),
  pixieDirectCaFile: (): string => expandHome(get('pixie.directCaFile', '')),
  pixieInsecurePlaintext: (): boolean => get('pixie.insecurePlaintext', false),
  pixieDefaultWindow: (): string => get('pixie.defaultWindow', '-30s'),
  pixieLiveIntervalSeconds: (): number => Math.max(10, get('pixie.liveIntervalSeconds', 30)),
  pyroscopeUrl: (): string => get('pyroscope.url', '').trim(),
  pyroscopeService: (): string => get('pyroscope.service', 'pyroscope/pyroscope:4040'),
  pyroscopeTenantId: (): string => get('pyroscope.tenantId', '').trim(),
  pyroscopeLabelSelector: (): string => get('pyroscope.labelSelector', '').trim(),
  pyroscopeProfileType: (): string => get('pyroscope.profileType', '').trim(),
  pyroscopeDefaultWindowSeconds: (): number => Math.min(86400, Math.max(10, get('pyroscope.defaultWindowSeconds', 60))),
  parcaUrl: (): string => get('parca.url', '').trim(),
  parcaService: (): string => get('parca.service', 'parca/parca:7070'),
  parcaLabelSelector: (): string => get('parca.labelSelector', '').trim(),
  parcaProfileType: (): string => get('parca.profileType', '').trim(),
  parcaDefaultWindowSeconds: (): number => Math.min(86400, Math.max(10, get('parca.defaultWindowSeconds', 60))),

  /** Substitutions with ${workspaceFolder} expanded against every folder (first folder wins on ties). */
  pathSubstitutions(): PathSubstitution[] {
    const raw = get<Array<{ from?: unknown; to?: unknown }>>('pathSubstitutions', []);
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: PathSubstitution[] = [];
    for (const s of Array.isArray(raw) ? raw : []) {
      if (typeof s?.from !== 'string' || typeof s?.to !== 'string' || !s.from || !s.to) continue;
      if (s.to.includes('${workspaceFolder}')) {
        for (const f of folders) out.push({ from: s.from, to: s.to.split('${workspaceFolder}').join(f.uri.fsPath) });
      } else {
        out.push({ from: s.from, to: expandHome(s.to) });
      }
    }
    return out;
  },
};

function expandHome(p: string): string {
  return p.startsWith('~/') ? (process.env.HOME ?? '') + p.slice(1) : p;
}

export function onConfigChanged(keys: string[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(`${section}.${k}`))) listener();
  });
}
