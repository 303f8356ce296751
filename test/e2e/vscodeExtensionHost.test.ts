// Extension-host tests: test/vscode/*.itest.ts run by mocha inside real VS Code (code-server), each reported
// here as its own test. The workspace is a scratch copy of the Go fixture sources with the fixture profile,
// and a fake cluster runs beside it for the Profile Pod flow.
// Run: node scripts/build.mjs --tests && node --test out/test/e2e/vscodeExtensionHost.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExtensionHostTests, type ExtensionHostRun } from '../support/extensionHost';
import { startFakeClusterProcess, type FakeClusterProcess } from '../support/fakeClusterProcess';
import { prepareGoShopWorkspace, type GoShopWorkspace } from '../support/goShopWorkspace';

let cluster: FakeClusterProcess;
let ws: GoShopWorkspace;
let run: ExtensionHostRun;

before(async () => {
  cluster = await startFakeClusterProcess({ msPerSecond: 50 });
  // openOnStartup as in the demo workspace: the first itest checks the overlays appear with no command run.
  ws = prepareGoShopWorkspace({ kubeconfigPath: cluster.state.kubeconfigPath, settings: { 'podProfiler.openOnStartup': 'profiles/go-cpu.pb.gz' } });
  const contextFile = join(ws.dir, '.vscode', 'itest-context.json');
  mkdirSync(join(ws.dir, '.vscode'), { recursive: true });
  writeFileSync(contextFile, JSON.stringify({ cluster: cluster.state, profile: ws.profile, workspace: ws.dir }, null, 2));
  run = await runExtensionHostTests({
    name: 'go-shop',
    folder: ws.dir,
    env: { POD_PROFILER_ITEST_CONTEXT: contextFile },
  });
});

after(async () => {
  await cluster?.stop();
  ws?.remove();
});

test('extension host ran the suites and reported every test', () => {
  assert.ok(run.files.length > 0, `no *.itest.js ran; exit ${run.exitCode}; log:\n${run.logs.slice(-30).join('\n')}`);
  assert.ok(run.results.length > 0, 'no results');
  assert.equal(run.exitCode === 0, run.results.every((r) => r.state !== 'failed'), `exit code ${run.exitCode} disagrees with the results`);
});

// One node:test per mocha test, so failures are named and counted in the summary.
test('extension-host tests', async (t) => {
  for (const r of run.results) {
    await t.test(r.title, { skip: r.state === 'pending' }, () => {
      if (r.state === 'failed') assert.fail(r.error ?? 'failed');
    });
  }
});
