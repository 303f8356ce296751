// The fake cluster (test/fakes/startFakeCluster.ts) as a separate process, as the e2e tests use it: the
// extension under test reaches it over HTTPS on 127.0.0.1 with the kubeconfig it writes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeClusterState } from '../fakes/startFakeCluster';
import { repoRoot } from './repoRoot';

export interface FakeClusterProcess {
  state: FakeClusterState;
  /** Switches failure modes through the fake's control endpoint (see startFakeCluster.ts). */
  control(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startFakeClusterProcess(o: { msPerSecond?: number; profile?: string; timeoutMs?: number } = {}): Promise<FakeClusterProcess> {
  const root = repoRoot();
  const entry = join(root, 'out', 'test', 'fakes', 'startFakeCluster.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run node scripts/build.mjs --tests`);
  const dir = mkdtempSync(join(tmpdir(), 'pod-profiler-fake-state-'));
  const stateFile = join(dir, 'state.json');
  const args = [entry, '--pprof', o.profile ?? join(root, 'test', 'fixtures', 'profiles', 'go-cpu.pb.gz'), '--state-file', stateFile];
  if (o.msPerSecond !== undefined) args.push('--ms-per-second', String(o.msPerSecond));
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
  };
  process.on('exit', kill);
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  while (!existsSync(stateFile)) {
    if (exited || Date.now() > deadline) {
      kill();
      throw new Error(`fake cluster did not start (${exited ? 'exited' : 'timeout'}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as FakeClusterState;
  return {
    state,
    async control(path) {
      const res = await fetch(`${state.controlUrl}${path}`, { method: path.startsWith('/requests') || path.startsWith('/state') ? 'GET' : 'POST' });
      return res.json();
    },
    async stop() {
      process.off('exit', kill);
      if (!exited) {
        const done = new Promise((r) => child.on('exit', r));
        kill();
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
