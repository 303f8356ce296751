// Extension-host tests: test/vscode/*.itest.ts run by mocha inside real VS Code (code-server), each reported
// here as its own test. The workspace is a scratch copy of the Go fixture sources with the fixture profile,
// and a fake cluster runs beside it for the Profile Pod flow.
// Run: node scripts/build.mjs --tests && node --test out/test/e2e/vscodeExtensionHost.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExtensionHostTests, type ExtensionHostRun } from '../support/extensionHost';
import { startFakeClusterProcess, type FakeClusterProcess } from '../support/fakeClusterProcess';
import { prepareGoShopWorkspace, type GoShopWorkspace } from '../support/goShopWorkspace';
import { pixieDirectSettings, startFakeVizierProcess, type FakeVizierProcess } from '../support/fakeVizierProcess';
import { repoRoot } from '../support/repoRoot';

let cluster: FakeClusterProcess;
let vizier: FakeVizierProcess;
let ws: GoShopWorkspace;
let run: ExtensionHostRun;
const GENERATED_FILES = 400;

before(async () => {
  cluster = await startFakeClusterProcess({ msPerSecond: 50, pyroscope: true, parca: true });
  vizier = await startFakeVizierProcess();
  // openOnStartup as in the demo workspace: the first itest checks the overlays appear with no command run.
  // Pixie in self-hosted (direct) mode against the fake Vizier, TLS with its CA; the cert names localhost.
  ws = prepareGoShopWorkspace({
    kubeconfigPath: cluster.state.kubeconfigPath,
    settings: {
      'podProfiler.openOnStartup': 'profiles/go-cpu.pb.gz',
      ...pixieDirectSettings(vizier.state),
      'podProfiler.pixie.liveIntervalSeconds': 10,
    },
  });
  // The name-only eBPF profile and the after-fix recording, for the resolution and compare suites.
  const profiles = join(ws.dir, 'profiles');
  copyFileSync(join(repoRoot(), 'test', 'fixtures', 'profiles', 'go.folded'), join(profiles, 'go.folded'));
  copyFileSync(join(repoRoot(), 'demo', 'profiles', 'go-cpu-after-fix.pb.gz'), join(profiles, 'go-cpu-after-fix.pb.gz'));
  // Enough Go files (over the 4 batches of 64 a parse worker waits for) that the extension's first index
  // build starts a parse worker inside the extension host.
  const gen = join(ws.dir, 'internal', 'generated');
  mkdirSync(gen, { recursive: true });
  for (let i = 0; i < GENERATED_FILES; i++) {
    writeFileSync(join(gen, `table${i}.go`), `package generated\n\n// Table${i} is one of many small files.\nfunc Table${i}(n int) int {\n\treturn n + ${i}\n}\n`);
  }
  const contextFile = join(ws.dir, '.vscode', 'itest-context.json');
  mkdirSync(join(ws.dir, '.vscode'), { recursive: true });
  writeFileSync(contextFile, JSON.stringify({ cluster: cluster.state, vizier: vizier.state, profile: ws.profile, workspace: ws.dir }, null, 2));
  run = await runExtensionHostTests({
    name: 'go-shop',
    folder: ws.dir,
    env: { POD_PROFILER_ITEST_CONTEXT: contextFile },
  });
});

after(async () => {
  await cluster?.stop();
  await vizier?.stop();
  ws?.remove();
});

test('extension host ran the suites and reported every test', () => {
  assert.ok(run.files.length > 0, `no *.itest.js ran; exit ${run.exitCode}; log:\n${run.logs.slice(-30).join('\n')}`);
  assert.ok(run.results.length > 0, 'no results');
  assert.equal(run.exitCode === 0, run.results.every((r) => r.state !== 'failed'), `exit code ${run.exitCode} disagrees with the results`);
});

test('the first index build in the extension host went through the parse pool without a worker failing', (t) => {
  const builds = [...run.extensionLog.matchAll(/definition index: (\d+) files \((\d+) parsed, (\d+) of them on worker threads/g)];
  assert.ok(builds.length > 0, `no index build in the extension's log:\n${run.extensionLog.slice(-2000)}`);
  t.diagnostic(builds[0][0]);
  const [, files, parsed, byWorkers] = builds[0].map(Number);
  assert.ok(files > GENERATED_FILES && parsed === files, builds[0][0]);
  // The extension host leaves parsing to the workers while they answer (the unit tests check what they
  // parse); one that cannot start or load its bundle in the extension host says so.
  assert.ok(byWorkers > 0, builds[0][0]);
  assert.deepEqual(run.extensionLog.split('\n').filter((l) => /parse worker/.test(l)), []);
});

test('Profile Pod indexes the workspace while the pod records, not after (goProfile.itest resets the index first)', () => {
  const lines = run.extensionLog.split('\n');
  const reset = lines.findIndex((l) => /workspace sources: setting files\.exclude changed/.test(l));
  assert.ok(reset >= 0, `no index reset in the extension's log:\n${run.extensionLog.slice(-3000)}`);
  const after = lines.slice(reset);
  const built = after.findIndex((l) => /definition index: \d+ files/.test(l));
  const recorded = after.findIndex((l) => /pprof from .*\(60 s asked\)/.test(l));
  assert.ok(recorded > 0, `no 60 s recording after the reset:\n${after.join('\n').slice(0, 3000)}`);
  assert.ok(built > 0 && built < recorded, `the index was not built during the recording:\n${after.slice(0, Math.max(built, recorded) + 1).join('\n')}`);
});

// One node:test per mocha test, so failures are named and counted in the summary.
test('extension-host tests', async (t) => {
  for (const r of run.results) {
    await t.test(r.title, { skip: r.state === 'pending' }, () => {
      if (r.state === 'failed') assert.fail(r.error ?? 'failed');
    });
  }
});
