// The fake Vizier as its own process, for the real-VS-Code e2e tests (Pixie as the Profile pod source).
//
//   node out/test/fakes/startFakeVizier.js --state-file F [--plaintext] [--folded FILE] [--api-key K] [--dir D]
//
// Serves the fake cluster's pods (shop/catalog-7d9f8-abcde on node-a1, container catalog, with the Go fixture's
// eBPF stacks; shop/checkout-5c6b7-fghij with no samples), writes F (JSON FakeVizierProcessState) once it
// listens, prints "fake vizier ready ADDRESS", and stays up until SIGTERM/SIGINT. Its controlUrl accepts:
//   POST /mode?mode=ok|script-error|unknown-cluster|cluster-disconnected|drop-mid-batch|end-without-eos|hang|no-rows
//   GET  /scripts   (the PxL scripts received, with the table, window and pod filter read from them)
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeVizier, fakeVizierModes, type FakeVizierMode, type FakeVizierPod, type FakeVizierState } from './fakeVizier';
import { repoRoot } from '../support/repoRoot';

export interface FakeVizierProcessState extends FakeVizierState {
  /** File holding caPem (TLS only): what a user would point a custom-CA setting at. */
  caPath?: string;
  controlUrl: string;
  pid: number;
}

/** The pods of startFakeCluster's cluster, as Pixie would see them. */
export function fakeClusterVizierPods(goFolded: string): FakeVizierPod[] {
  return [
    { namespace: 'shop', name: 'catalog-7d9f8-abcde', node: 'node-a1', container: 'catalog', pid: 4242, cmdline: '/app/catalogsrv', folded: goFolded },
    { namespace: 'shop', name: 'checkout-5c6b7-fghij', node: 'node-b2', container: 'checkout', pid: 77, cmdline: '/app/checkout', folded: '' },
  ];
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq?.slice(name.length + 1);
}

async function main(args: string[]): Promise<void> {
  const stateFile = argValue(args, '--state-file');
  if (!stateFile) {
    process.stderr.write('usage: startFakeVizier --state-file F [--plaintext] [--folded FILE] [--api-key K] [--dir D]\n');
    process.exit(2);
  }
  const folded = readFileSync(resolve(argValue(args, '--folded') ?? join(repoRoot(), 'test/fixtures/profiles/go.folded')), 'utf8');
  const tls = !args.includes('--plaintext');
  const fake = await FakeVizier.start({ pods: fakeClusterVizierPods(folded), tls, apiKey: argValue(args, '--api-key') });
  const ownDir = !argValue(args, '--dir');
  const dir = argValue(args, '--dir') ?? mkdtempSync(join(tmpdir(), 'pod-profiler-fake-vizier-'));
  let caPath: string | undefined;
  if (fake.state.caPem) {
    caPath = join(dir, 'pixie-ca.crt');
    writeFileSync(caPath, fake.state.caPem);
  }
  const control = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/scripts') return reply(200, fake.scripts);
    if (req.method === 'POST' && url.pathname === '/mode') {
      const mode = (url.searchParams.get('mode') ?? 'ok') as FakeVizierMode;
      if (!fakeVizierModes.includes(mode)) return reply(400, { error: `mode one of ${fakeVizierModes}` });
      fake.mode = mode;
      return reply(200, { mode });
    }
    reply(404, { error: 'unknown control path' });
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  const state: FakeVizierProcessState = {
    ...fake.state,
    caPath,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    pid: process.pid,
  };
  const tmp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, stateFile);
  process.stdout.write(`fake vizier ready ${state.address}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    control.close();
    await fake.close().catch(() => undefined);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    rmSync(stateFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);
}

// Bundled into tests too (esbuild inlines it), so "am I the entry" is checked by file name.
if (require.main === module && /startFakeVizier\.[cm]?js$/.test(require.main.filename)) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`fake vizier failed to start: ${e instanceof Error ? e.stack : e}\n`);
    process.exit(1);
  });
}
