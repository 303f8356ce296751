// Grafana Pyroscope and Parca as Profile Pod sources inside real VS Code, against the fake cluster's fake stores
// (Pyroscope: the Connect protocol with binary protobuf; Parca: gRPC-Web): through the API server's service
// proxy (the default), then by direct URL with credentials from SecretStorage, then a wrong service that fails
// cleanly and keeps the shown profile. The shares are computed here from the pprof file the fakes serve.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedLenses } from '../support/goCpuExpectations';
import { assertLens, context, lensAt, lensesWhen, ourLenses } from './itestSupport';

const ctx = context();
const mainGo = vscode.Uri.file(join(ctx.workspace, 'main.go'));
const settings = () => vscode.workspace.getConfiguration('podProfiler');

interface Store {
  agent: 'pyroscope' | 'parca';
  title: string;
  url: string | undefined;
  /** The fake's request log on the fake cluster's control server. */
  log: string;
  /** The query's path at the store, and the API server's proxy path prefix for it. */
  query: string;
  proxy: string;
  setCredentials: string;
  clearCredentials: string;
  credentials: string;
  /** Whether a logged request carried the credentials. */
  sentCredentials(r: Record<string, unknown>): boolean;
}

const stores: Store[] = [
  {
    agent: 'pyroscope',
    title: 'Grafana Pyroscope',
    url: ctx.cluster.pyroscopeUrl,
    log: 'pyroscope-requests',
    query: '/querier.v1.QuerierService/SelectMergeProfile',
    proxy: '/api/v1/namespaces/pyroscope/services/pyroscope:4040/proxy',
    setCredentials: 'podProfiler.setPyroscopeCredentials',
    clearCredentials: 'podProfiler.clearPyroscopeCredentials',
    credentials: 'Basic dXNlcjpzZWNyZXQtdG9rZW4=',
    sentCredentials: (r) => r.hadAuthorization === true,
  },
  {
    agent: 'parca',
    title: 'Parca',
    url: ctx.cluster.parcaUrl,
    log: 'parca-requests',
    query: '/parca.query.v1alpha1.QueryService/Query',
    proxy: '/api/v1/namespaces/parca/services/parca:7070/proxy',
    setCredentials: 'podProfiler.setParcaToken',
    clearCredentials: 'podProfiler.clearParcaToken',
    credentials: 'Bearer parca-secret-token',
    sentCredentials: (r) => r.authorization === 'Bearer parca-secret-token',
  },
];

async function control<T>(path: string): Promise<T> {
  return (await (await fetch(`${ctx.cluster.controlUrl}/${path}`)).json()) as T;
}

for (const store of stores) {
  describe(`${store.title} as the Profile Pod source`, function () {
    this.timeout(120_000);
    const expected = expectedLenses(ctx.profile, mainGo.fsPath);
    const pod = { context: ctx.cluster.context, namespace: 'shop', pod: 'catalog-7d9f8-abcde', agent: store.agent, seconds: 300 };
    const requests = () => control<Array<Record<string, unknown>>>(store.log);

    before(async () => {
      await vscode.commands.executeCommand('podProfiler.clearOverlays');
      await vscode.window.showTextDocument(mainGo);
    });

    after(async () => {
      for (const key of [`${store.agent}.url`, `${store.agent}.service`]) await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand(store.clearCredentials);
      await vscode.commands.executeCommand('podProfiler.clearOverlays');
    });

    it('through the service proxy (no URL set): CodeLens shares of the profile the store holds', async () => {
      assert.ok(store.url, `the fake cluster runs a fake ${store.title}`);
      const seenBefore = (await requests()).length;
      assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', pod), true, `profilePod with ${store.title} reported failure (see the Pod Profiler log)`);
      const seen = (await requests()).slice(seenBefore);
      assert.ok(seen.some((r) => r.path === store.query), JSON.stringify(seen));
      const paths = (await control<Array<{ path: string }>>('requests')).map((r) => r.path);
      assert.ok(paths.some((p) => p.startsWith(store.proxy + store.query)), "the query went through the API server's service proxy");
      const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), `lenses from ${store.title}`, 60_000);
      assertLens(lenses, expected.parseCatalog);
      assertLens(lenses, expected.readCatalogFile);
    });

    it('by direct URL with credentials set through the command', async () => {
      await vscode.commands.executeCommand('podProfiler.clearOverlays');
      await settings().update(`${store.agent}.url`, store.url, vscode.ConfigurationTarget.Global);
      assert.equal(await vscode.commands.executeCommand(store.setCredentials, store.credentials), true);
      const seenBefore = (await requests()).length;
      assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', pod), true);
      const seen = (await requests()).slice(seenBefore);
      assert.ok(seen.length > 0 && seen.every(store.sentCredentials), `direct requests carry the stored credentials: ${seen.length} requests`);
      assertLens(await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog), `lenses from ${store.title} by URL`), expected.parseCatalog);
    });

    it('a service that is not there fails cleanly and keeps the profile shown', async () => {
      await settings().update(`${store.agent}.url`, undefined, vscode.ConfigurationTarget.Global);
      await settings().update(`${store.agent}.service`, 'monitoring/no-such-store:4040', vscode.ConfigurationTarget.Global);
      assert.equal(await vscode.commands.executeCommand('podProfiler.profilePod', pod), false);
      assertLens(await ourLenses(mainGo), expected.parseCatalog);
    });
  });
}
