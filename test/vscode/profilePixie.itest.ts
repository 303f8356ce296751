// Issue 3 inside real VS Code: Pixie as the Profile Pod source, against the fake Vizier (the real Vizier proto
// over gRPC with TLS and its own CA), in self-hosted mode: API key from SecretStorage, CodeLens shares from the
// eBPF stacks it serves (computed here from the folded fixture), errors, and live mode.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedFoldedLenses, expectedLenses } from '../support/goCpuExpectations';
import { assertLens, context, lensAt, lensesWhen, ourLenses } from './itestSupport';

const ctx = context();
const mainGo = vscode.Uri.file(join(ctx.workspace, 'main.go'));
const pod = { context: ctx.cluster.context, namespace: 'shop', pod: 'catalog-7d9f8-abcde', agent: 'pixie' };

async function scriptsReceived(): Promise<number> {
  const res = await fetch(`${ctx.vizier.controlUrl}/scripts`);
  return ((await res.json()) as unknown[]).length;
}

describe('Pixie as the Profile Pod source', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    await vscode.window.showTextDocument(mainGo);
  });

  after(async () => {
    await vscode.commands.executeCommand('podProfiler.stopLive');
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
  });

  it('a wrong API key fails cleanly and shows nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('podProfiler.setPixieApiKey', 'px-api-wrong-key-0000'), true);
    const ok = await vscode.commands.executeCommand('podProfiler.profilePod', { ...pod, window: '-30s' });
    assert.equal(ok, false);
    assert.equal((await lensesWhen(mainGo, () => true, 'lenses')).length, 0);
  });

  it('with the key, CodeLens shares come from the eBPF stacks Pixie returns', async () => {
    assert.equal(await vscode.commands.executeCommand('podProfiler.setPixieApiKey', ctx.vizier.apiKey), true);
    const before = await scriptsReceived();
    const ok = await vscode.commands.executeCommand('podProfiler.profilePod', { ...pod, window: '-1m' });
    assert.equal(ok, true, 'profilePod with Pixie reported failure (see the Pod Profiler log)');
    assert.equal(await scriptsReceived(), before + 1, 'one PxL query sent');
    // The workspace's copy of test/fixtures/profiles/go.folded: the stacks the fake Vizier serves.
    const expected = expectedFoldedLenses(join(ctx.workspace, 'profiles', 'go.folded'), mainGo.fsPath);
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses from Pixie', 60_000);
    assertLens(lenses, expected.parseCatalog);
    assertLens(lenses, expected.readCatalogFile);
  });

  it('live mode queries again on its period and stops when asked', async () => {
    const before = await scriptsReceived();
    assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', { ...pod, window: 'live' }), true);
    const deadline = Date.now() + 30_000;
    while ((await scriptsReceived()) < before + 2) {
      if (Date.now() > deadline) throw new Error(`live mode sent ${(await scriptsReceived()) - before} queries in 30 s (interval 10 s)`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await vscode.commands.executeCommand('podProfiler.stopLive');
    const stopped = await scriptsReceived();
    await new Promise((r) => setTimeout(r, 12_000));
    assert.equal(await scriptsReceived(), stopped, 'queries continued after stopLive');
  });

  it('opening another profile while live stops live mode instead of being replaced by the next refresh', async () => {
    const before = await scriptsReceived();
    assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', { ...pod, window: 'live' }), true);
    assert.equal(await scriptsReceived(), before + 1);
    // The recorded pprof of the same service: its shares differ from the eBPF stacks', so the lenses tell which is shown.
    const pprof = expectedLenses(ctx.profile, mainGo.fsPath);
    const folded = expectedFoldedLenses(join(ctx.workspace, 'profiles', 'go.folded'), mainGo.fsPath);
    assert.notEqual(pprof.parseCatalog.totalPercent, folded.parseCatalog.totalPercent, 'the two recordings must be told apart');
    assert.equal(await vscode.commands.executeCommand('podProfiler.openProfile', vscode.Uri.file(ctx.profile)), true);
    const stoppedAt = await scriptsReceived();
    // Longer than the live period (10 s in this run): a refresh would have come and replaced the file's profile.
    await new Promise((r) => setTimeout(r, 12_000));
    assert.equal(await scriptsReceived(), stoppedAt, 'live mode kept querying after another profile was opened');
    assertLens(await ourLenses(mainGo), pprof.parseCatalog);
  });
});
