// The automation contract of issue 2, exercised inside real VS Code on the go-shop workspace: open the recorded
// Go profile and the fake cluster's pod profile, check the CodeLens numbers against an independent reading of
// the same pprof, clear the overlays, and the errors that must not crash anything.
// Context (workspace, profile, fake cluster state) comes from the JSON file in $POD_PROFILER_ITEST_CONTEXT.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedLenses } from '../support/goCpuExpectations';
import { context, lensAt, lensesWhen, ourLenses, assertLens } from './itestSupport';

const ctx = context();
const mainGo = vscode.Uri.file(join(ctx.workspace, 'main.go'));
const expected = expectedLenses(ctx.profile, mainGo.fsPath);
/** Recording length asked of the fake pprof server (50 ms a second here); the host test finds it in the log. */
const PREPARED_RECORDING_SECONDS = 60;

/** Profile Pod on the fake cluster's pod `pod` with the Go pprof agent, every picker answered by the arguments. */
function profileGoPod(pod: string, seconds: number): Thenable<unknown> {
  return vscode.commands.executeCommand('podProfiler.profilePod', { context: ctx.cluster.context, namespace: ctx.cluster.namespace, pod, seconds, agent: 'goPprof' });
}

/**
 * Adds `glob` to the workspace's files.exclude, which drops the extension's file list and index (see
 * WorkspaceSources); the function returned puts the setting back as it was.
 */
async function excludeInWorkspace(glob: string): Promise<() => Promise<void>> {
  const files = vscode.workspace.getConfiguration('files');
  const before = files.inspect<Record<string, boolean>>('exclude')?.workspaceValue;
  await files.update('exclude', { ...files.get<Record<string, boolean>>('exclude'), [glob]: true }, vscode.ConfigurationTarget.Workspace);
  return async () => {
    await vscode.workspace.getConfiguration('files').update('exclude', before, vscode.ConfigurationTarget.Workspace);
  };
}

describe('Go profile overlays through the automation contract', function () {
  this.timeout(120_000);

  before(async () => {
    const ext = vscode.extensions.getExtension('pod-profiler.pod-profiler');
    await ext?.activate();
    await vscode.window.showTextDocument(mainGo);
  });

  it('the expectations are not degenerate (independent reading of the fixture)', () => {
    assert.ok(expected.allSamples > 100, `only ${expected.allSamples} samples`);
    assert.ok(parseFloat(expected.parseCatalog.totalPercent) >= 20, `parseCatalog at ${expected.parseCatalog.totalPercent}`);
    assert.ok(expected.readCatalogFile.totalSamples <= expected.parseCatalog.totalSamples);
  });

  it('podProfiler.openOnStartup (the demo setting) loads the profile when the window opens, no command needed', async () => {
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses from openOnStartup', 30_000);
    assertLens(lenses, expected.parseCatalog);
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    await lensesWhen(mainGo, (l) => l.length === 0, 'no lenses after clearOverlays');
  });

  it('podProfiler.openProfile(uri) puts CodeLenses with the right shares over readCatalogFile and parseCatalog', async () => {
    const ok = await vscode.commands.executeCommand('podProfiler.openProfile', vscode.Uri.file(ctx.profile));
    assert.equal(ok, true, 'openProfile reported failure');
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog) && !!lensAt(l, expected.readCatalogFile), 'lenses on parseCatalog and readCatalogFile');
    assertLens(lenses, expected.readCatalogFile);
    assertLens(lenses, expected.parseCatalog);
    assertLens(lenses, expected.ServeHTTP);
  });

  it('a CodeLens click target is the flamegraph focused on its function', async () => {
    const lens = lensAt(await ourLenses(mainGo), expected.parseCatalog);
    assert.equal(lens?.command?.command, 'podProfiler.showFlamegraph');
    assert.deepEqual(lens?.command?.arguments, [{ focusFunction: expected.parseCatalog.name }]);
  });

  it('podProfiler.showFlamegraph opens the flamegraph panel', async () => {
    await vscode.commands.executeCommand('podProfiler.showFlamegraph');
    const deadline = Date.now() + 15_000;
    let tabs: vscode.Tab[] = [];
    while (Date.now() < deadline) {
      tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
      if (tabs.some((t) => (t.input as vscode.TabInputWebview).viewType.includes('podProfiler.flamegraph'))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const views = tabs.map((t) => (t.input as vscode.TabInputWebview).viewType);
    assert.ok(views.some((v) => v.includes('podProfiler.flamegraph')), `webview tabs: ${JSON.stringify(views)}`);
  });

  it('podProfiler.clearOverlays removes every CodeLens of ours', async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    await lensesWhen(mainGo, (l) => l.length === 0, 'no lenses after clearOverlays');
  });

  it('podProfiler.profilePod({context, namespace, pod, seconds}) records from the fake cluster and shows the same shares', async () => {
    const pod = ctx.cluster.pods.find((p) => p.pprofPortDeclaredBy === 'annotation');
    assert.ok(pod, 'fake cluster has no pod with a pprof annotation');
    const ok = await profileGoPod(pod.name, 2);
    assert.equal(ok, true, 'profilePod reported failure (see the Pod Profiler log)');
    // The fake serves the very bytes of the fixture, so the numbers are those of the file.
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses after profilePod');
    assertLens(lenses, expected.readCatalogFile);
    assertLens(lenses, expected.parseCatalog);
  });

  // The log check is in vscodeExtensionHost.test.ts: after the reset below, the index build is logged
  // before the recording's end. Without a profile shown, nothing else rebuilds the index after a reset.
  it('profilePod lists and indexes the workspace while the pod records (index reset first)', async () => {
    const pod = ctx.cluster.pods.find((p) => p.pprofPortDeclaredBy === 'annotation')!;
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    const restore = await excludeInWorkspace('**/*.never-written');
    try {
      const ok = await profileGoPod(pod.name, PREPARED_RECORDING_SECONDS);
      assert.equal(ok, true, 'profilePod reported failure (see the Pod Profiler log)');
      assertLens(await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses after profilePod'), expected.parseCatalog);
    } finally {
      await restore();
    }
  });

  it('a files.exclude change during the recording applies to that profile (the index built ahead is dropped)', async () => {
    const pod = ctx.cluster.pods.find((p) => p.pprofPortDeclaredBy === 'annotation')!;
    let restore: (() => Promise<void>) | undefined;
    try {
      // 100 s: 5 s of the fake's time; the pickers are skipped, so the build starts well within the first second.
      const recording = profileGoPod(pod.name, 100);
      await new Promise((r) => setTimeout(r, 1500));
      restore = await excludeInWorkspace('**/main.go');
      assert.equal(await recording, true, 'profilePod reported failure (see the Pod Profiler log)');
      // Neither the file list nor the index of now has main.go: nothing lands there, by path or by name.
      assert.deepEqual(await ourLenses(mainGo), []);
    } finally {
      await restore?.();
    }
    await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses after main.go is included again');
  });

  it('profilePod on a pod without a pprof endpoint fails cleanly and keeps the last profile', async () => {
    const plain = ctx.cluster.pods.find((p) => p.phase === 'Running' && p.pprofPort === undefined);
    assert.ok(plain, 'fake cluster has no running pod without pprof');
    const ok = await profileGoPod(plain.name, 1);
    assert.equal(ok, false);
    assertLens(await ourLenses(mainGo), expected.parseCatalog);
  });

  it('profilePod against an unreachable API server (context "staging") fails within the timeout', async () => {
    const started = Date.now();
    const ok = await vscode.commands.executeCommand('podProfiler.profilePod', {
      context: 'staging',
      namespace: 'default',
      pod: 'anything',
      seconds: 1,
      agent: 'goPprof',
    });
    assert.equal(ok, false);
    assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
  });

  it('profilePod with an unknown context fails cleanly', async () => {
    const ok = await vscode.commands.executeCommand('podProfiler.profilePod', { context: 'no-such-context', namespace: 'shop', pod: 'x', seconds: 1, agent: 'goPprof' });
    assert.equal(ok, false);
  });
});
