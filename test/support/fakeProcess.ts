// Runs one of the fakes under test/fakes as its own process, as the real-VS-Code tests use them: waits for
// the state file it writes when it listens, talks to its control endpoint, and stops its process group.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

export interface FakeProcess<S> {
  state: S;
  /** GET for /requests, /state, /scripts; POST otherwise (failure modes). */
  control(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** `entry` is the bundled file under out/test/fakes; `args` exclude --state-file, which is added here. */
export async function startFakeProcess<S extends { controlUrl: string }>(entry: string, args: string[], timeoutMs = 20_000): Promise<FakeProcess<S>> {
  const root = repoRoot();
  const script = join(root, 'out', 'test', 'fakes', entry);
  if (!existsSync(script)) throw new Error(`${script} is missing: run node scripts/build.mjs --tests`);
  const dir = mkdtempSync(join(tmpdir(), 'pod-profiler-fake-state-'));
  const stateFile = join(dir, 'state.json');
  const child = spawn(process.execPath, [script, ...args, '--state-file', stateFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(stateFile)) {
    if (exited || Date.now() > deadline) {
      kill();
      throw new Error(`${entry} did not start (${exited ? 'exited' : 'timeout'}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as S;
  return {
    state,
    async control(path) {
      const get = /^\/(requests|state|scripts)/.test(path);
      const res = await fetch(`${state.controlUrl}${path}`, { method: get ? 'GET' : 'POST' });
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
