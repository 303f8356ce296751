// Grafana Pyroscope as the Profile Pod source inside real VS Code, against the fake cluster's fake Pyroscope
// (the real Connect protocol with binary protobuf): through the API server's service proxy (the default), then
// by direct URL with credentials from SecretStorage, then a wrong service that fails cleanly and keeps the shown
// profile. The shares are computed here from the pprof file the fake serves.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedLenses } from '../support/goCpuExpectations';
import { assertLens, context, lensAt, lensesWhen, ourLenses } from './itestSupport';

const ctx = context();
const mainGo = vscode.Uri.file(join(ctx.workspace, 'main.go'));
const pod = { context: ctx.cluster.context, namespace: 'shop', pod: 'catalog-7d9f8-abcde', agent: 'pyroscope', seconds: 300 };
const settings = () => vscode.workspace.getConfiguration('podProfiler');

interface SeenRequest {
  path: string;
  hadAuthorization: boolean;
}
async function pyroscopeRequests(): Promise<SeenRequest[]> {
  return (await (await fetch(`${ctx.cluster.controlUrl}/pyroscope-requests`)).json()) as SeenRequest[];
}
async function apiServerPaths(): Promise<string[]> {
  return ((await (await fetch(`${ctx.cluster.controlUrl}/requests`)).json()) as Array<{ path: string }>).map((r) => r.path);
}

describe('Grafana Pyroscope as the Profile Pod source', function () {
  this.timeout(120_000);
  const expected = expectedLenses(ctx.profile, mainGo.fsPath);

  before(async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    await vscode.window.showTextDocument(mainGo);
  });

  after(async () => {
    for (const key of ['pyroscope.url', 'pyroscope.service']) await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('podProfiler.clearPyroscopeCredentials');
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
  });

  it('through the service proxy (no URL set): CodeLens shares of the profile Pyroscope holds', async () => {
    assert.ok(ctx.cluster.pyroscopeUrl, 'the fake cluster runs a fake Pyroscope');
    const seenBefore = (await pyroscopeRequests()).length;
    assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', pod), true, 'profilePod with Pyroscope reported failure (see the Pod Profiler log)');
    const seen = (await pyroscopeRequests()).slice(seenBefore);
    assert.ok(seen.some((r) => r.path === '/querier.v1.QuerierService/SelectMergeProfile'), JSON.stringify(seen));
    assert.ok((await apiServerPaths()).some((p) => p.startsWith('/api/v1/namespaces/pyroscope/services/pyroscope:4040/proxy/querier.v1.QuerierService/SelectMergeProfile')), 'the query went through the API server\'s service proxy');
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses from Pyroscope', 60_000);
    assertLens(lenses, expected.parseCatalog);
    assertLens(lenses, expected.readCatalogFile);
  });

  it('by direct URL with credentials set through the command', async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    await settings().update('pyroscope.url', ctx.cluster.pyroscopeUrl, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('podProfiler.setPyroscopeCredentials', 'Basic dXNlcjpzZWNyZXQtdG9rZW4='), true);
    const seenBefore = (await pyroscopeRequests()).length;
    assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', pod), true);
    const seen = (await pyroscopeRequests()).slice(seenBefore);
    assert.ok(seen.length > 0 && seen.every((r) => r.hadAuthorization), `direct requests carry the stored credentials: ${JSON.stringify(seen)}`);
    assertLens(await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), 'lenses from Pyroscope by URL'), expected.parseCatalog);
  });

  it('a service that is not there fails cleanly and keeps the profile shown', async () => {
    await settings().update('pyroscope.url', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('pyroscope.service', 'monitoring/no-such-pyroscope:4040', vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', pod), false);
    assertLens(await ourLenses(mainGo), expected.parseCatalog);
  });
});
