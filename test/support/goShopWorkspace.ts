// A scratch copy of the Go service of the recorded profile (test/fixtures/sources/go) with the fixture profile
// and .vscode/settings.json written for this run, so tests never dirty the repository.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

export interface GoShopWorkspace {
  dir: string;
  /** Absolute path of profiles/go-cpu.pb.gz inside the workspace. */
  profile: string;
  mainGo: string;
  remove(): void;
}

export function prepareGoShopWorkspace(o: { kubeconfigPath?: string; settings?: Record<string, unknown> } = {}): GoShopWorkspace {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), 'pod-profiler-go-shop-'));
  cpSync(join(root, 'test', 'fixtures', 'sources', 'go'), dir, { recursive: true });
  mkdirSync(join(dir, 'profiles'), { recursive: true });
  const profile = join(dir, 'profiles', 'go-cpu.pb.gz');
  cpSync(join(root, 'test', 'fixtures', 'profiles', 'go-cpu.pb.gz'), profile);
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  const settings: Record<string, unknown> = { ...(o.settings ?? {}) };
  if (o.kubeconfigPath) settings['podProfiler.kubeconfigPath'] = o.kubeconfigPath;
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return { dir, profile, mainGo: join(dir, 'main.go'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
