// End to end over gRPC-Web: fetchParcaProfile against the fake Parca, straight to its URL and through the fake
// API server's service proxy (HTTPS, test CA, bearer token), answering the recorded Go CPU profile. Expected
// numbers come from the pprof file read by the hand-rolled wire reader (test/support/pprofWire.ts), not from
// the code under test. Every error kind, cancellation, timeouts, and a real gRPC implementation (@grpc/grpc-js)
// talking native gRPC to the same fake with the same proto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import {
  chooseParcaCpuProfileType,
  directParcaEndpoint,
  fetchParcaProfile,
  listParcaProfileTypes,
  parseParcaServiceRef,
  serviceProxyParcaEndpoint,
  isParcaError,
  type ParcaError,
  type ParcaErrorKind,
  type ParcaProfileRequest,
} from '../../src/sources/agents/parca/parcaAgent';
import {
  decodeProfileTypesResponse,
  decodeQueryResponse,
  encodeProfileTypesRequest,
  encodeQueryRequest,
  profileTypesPath,
  queryPath,
  type ProfileTypesResponseMsg,
  type QueryResponseMsg,
} from '../../src/sources/agents/parca/parcaProtocol';
import type { Profile } from '../../src/model/profile';
import { loadKubeConfig } from '../../src/sources/cluster/kubeContexts';
import { FakeApiServer } from '../fakes/fakeApiServer';
import { FakeParca, type FakeParcaMode } from '../fakes/fakeParca';
import { readPprofWire } from '../support/pprofWire';
import { HOT_FUNCTIONS } from '../support/goCpuExpectations';
import { repoRoot } from '../support/repoRoot';

const fixture = readFileSync(join(repoRoot(), 'test/fixtures/profiles/go-cpu.pb.gz'));
const catalog = { namespace: 'shop', pod: 'catalog-7d9f8-abcde', container: 'catalog', node: 'node-a1' };
const weirdPod = 'we"ird\\pod", pod=~".*';
const cpuType = 'parca_agent:samples:count:cpu:nanoseconds:delta';

/** From the file: all sample counts, and those of samples with each hot function on the stack. */
function expectedFromFile(): { total: number; byFunction: Record<string, number> } {
  const w = readPprofWire(fixture);
  const idx = w.sampleTypes.findIndex((t) => t.type === 'samples' && t.unit === 'count');
  assert.ok(idx >= 0, 'the fixture has samples/count values');
  let total = 0;
  const byFunction: Record<string, number> = {};
  for (const s of w.samples) {
    total += s.values[idx];
    const names = new Set<string>();
    for (const id of s.locationIds) for (const l of w.locations.get(id) ?? []) names.add(w.functions.get(l.functionId)?.name ?? '?');
    for (const name of Object.values(HOT_FUNCTIONS)) if (names.has(name)) byFunction[name] = (byFunction[name] ?? 0) + s.values[idx];
  }
  return { total, byFunction };
}

/** Value of the profile's stacks that include `name` (each stack counted once). */
function totalWith(p: Profile, name: string): number {
  let sum = 0;
  p.walk((node, stack) => {
    if (node.self > 0 && stack.some((n) => p.frames[n.frameId].name === name)) sum += node.self;
  });
  return sum;
}

function checkCatalogProfile(p: Profile): void {
  const want = expectedFromFile();
  assert.equal(p.meta.unit, 'samples');
  assert.equal(p.totalValue, want.total, 'total samples equal the file\'s');
  for (const name of Object.values(HOT_FUNCTIONS)) {
    assert.ok(want.byFunction[name] > 0, `${name} is in the fixture`);
    assert.equal(totalWith(p, name), want.byFunction[name], `samples under ${name}`);
  }
  // The demo's story: parseCatalog is a large share of the CPU.
  assert.ok(want.byFunction[HOT_FUNCTIONS.parseCatalog] / want.total > 0.2);
}

const messages: string[] = [];

async function rejection(promise: Promise<unknown>, kind: ParcaErrorKind): Promise<ParcaError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isParcaError(e), `expected a ParcaError, got ${e instanceof Error ? e.stack : e}`);
    messages.push(e.message);
    assert.equal(e.kind, kind, `kind of: ${e.message}`);
    return e;
  }
  assert.fail(`expected a ParcaError of kind ${kind}, but the call succeeded`);
}

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Parca straight to its URL (gRPC-Web)', () => {
  let fake: FakeParca;
  const base = (): ParcaProfileRequest => ({ ...directParcaEndpoint({ url: fake.url }), namespace: 'shop', pod: 'catalog-7d9f8-abcde', timeoutMs: 10_000 });

  before(async () => {
    fake = await FakeParca.start({ profile: fixture, series: [catalog, { namespace: 'shop', pod: weirdPod, container: 'x' }] });
  });
  after(() => fake?.close());

  const reset = (mode: FakeParcaMode = { kind: 'ok' }, method?: string) => {
    fake.mode = mode;
    fake.modeMethod = method;
    fake.token = undefined;
    fake.requests.length = 0;
  };

  test('picks the CPU type from ProfileTypes, merges the pod\'s window and decodes the real pprof', async () => {
    reset();
    const t0 = Date.now();
    const p = await fetchParcaProfile(base());
    checkCatalogProfile(p);
    assert.equal(p.meta.source, 'Parca: shop/catalog-7d9f8-abcde, last 1m');
    assert.deepEqual(fake.requests.map((r) => r.path), [profileTypesPath, queryPath]);
    for (const r of fake.requests) {
      assert.equal(r.method, 'POST');
      assert.equal(r.protocol, 'grpc-web');
      assert.equal(r.contentType, 'application/grpc-web+proto');
      assert.equal(r.xGrpcWeb, '1');
      assert.equal(r.grpcTimeout, '10000m');
      assert.equal(r.authorization, undefined);
    }
    const q = fake.requests[1];
    assert.equal(q.query, `${cpuType}{namespace="shop", pod="catalog-7d9f8-abcde"}`);
    assert.equal(q.mode, 2, 'MODE_MERGE');
    assert.equal(q.reportType, 1, 'REPORT_TYPE_PPROF');
    assert.equal(q.endMs! - q.startMs!, 60_000);
    assert.ok(q.endMs! >= t0 - 1000 && q.endMs! <= Date.now() + 1000, 'window ends now');
  });

  test('a configured profile type skips ProfileTypes; a container adds its matcher; the window is honoured', async () => {
    reset();
    const p = await fetchParcaProfile({ ...base(), container: 'catalog', profileType: cpuType, windowSeconds: 900, end: 1_800_000_000_500 });
    checkCatalogProfile(p);
    assert.equal(p.meta.source, 'Parca: shop/catalog-7d9f8-abcde (catalog), last 15m');
    assert.deepEqual(fake.requests.map((r) => r.path), [queryPath]);
    assert.equal(fake.requests[0].query, `${cpuType}{namespace="shop", pod="catalog-7d9f8-abcde", container="catalog"}`);
    assert.equal(fake.requests[0].startMs, 1_800_000_000_500 - 900_000);
    assert.equal(fake.requests[0].endMs, 1_800_000_000_500);
  });

  test('a hostile pod name is one literal value: it selects only its own series, never widens the match', async () => {
    reset();
    const p = await fetchParcaProfile({ ...base(), pod: weirdPod, profileType: cpuType });
    checkCatalogProfile(p);
    // Without escaping, the name would end the pod literal and add pod=~".*" (matching every pod).
    for (const pod of ['x", pod=~".*', 'x"} or {pod=~".*', '.*', 'catalog-7d9f8-abcde\\']) {
      const e = await rejection(fetchParcaProfile({ ...base(), pod, profileType: cpuType }), 'no-data');
      assert.match(e.message, /namespace, pod/);
    }
  });

  test('no profiles for the labels: a no-data error naming the labels and the setting to check', async () => {
    reset();
    const e = await rejection(fetchParcaProfile({ ...base(), pod: 'catalog-gone', container: 'catalog' }), 'no-data');
    assert.match(e.message, /no profiles matching parca_agent:samples:count:cpu:nanoseconds:delta\{namespace="shop", pod="catalog-gone", container="catalog"\}/);
    assert.match(e.message, /labels namespace, pod, container/);
    assert.match(e.message, /podProfiler\.parca\.labelSelector/);
    assert.match(e.message, /last 1m/);
  });

  test('a Parca under --path-prefix is reached through the URL\'s path', async () => {
    const prefixed = await FakeParca.start({ profile: fixture, series: [catalog], pathPrefix: '/parca' });
    try {
      assert.match(prefixed.url, /\/parca$/);
      checkCatalogProfile(await fetchParcaProfile({ ...base(), ...directParcaEndpoint({ url: prefixed.url + '/' }) }));
      assert.deepEqual(prefixed.requests.map((r) => r.path), ['/parca' + profileTypesPath, '/parca' + queryPath]);
      // Without the prefix the server's router answers 404: not Parca's API there.
      await rejection(fetchParcaProfile({ ...base(), ...directParcaEndpoint({ url: `http://${prefixed.address}` }) }), 'not-found');
    } finally {
      await prefixed.close();
    }
  });

  test('ProfileTypes: the CPU type is chosen in Parca UI\'s order; no CPU type is a no-data error listing what exists', async () => {
    reset();
    const types = await listParcaProfileTypes(base());
    assert.equal(types.length, 2);
    const t = (name: string, sample: string, period: string, delta = true) => ({ name, sample_type: sample, sample_unit: 'count', period_type: period, period_unit: 'nanoseconds', delta });
    assert.equal(chooseParcaCpuProfileType(types)?.sample_type, 'samples');
    assert.equal(chooseParcaCpuProfileType([t('process_cpu', 'cpu', 'cpu'), t('process_cpu', 'samples', 'cpu')])?.sample_type, 'samples');
    assert.equal(chooseParcaCpuProfileType([t('process_cpu', 'cpu', 'cpu'), t('parca_agent_cpu', 'samples', 'cpu')])?.name, 'parca_agent_cpu');
    assert.equal(chooseParcaCpuProfileType([t('parca_agent', 'wallclock', 'samples'), t('memory', 'alloc_space', 'space', false)]), undefined);
    const onlyOffCpu = await FakeParca.start({ profile: fixture, series: [catalog], profileTypes: [types.find((x) => x.sample_type === 'wallclock')!] });
    try {
      const e = await rejection(fetchParcaProfile({ ...base(), ...directParcaEndpoint({ url: onlyOffCpu.url }) }), 'no-data');
      assert.match(e.message, /it has: parca_agent:wallclock:nanoseconds:samples:count:delta/);
      assert.match(e.message, /podProfiler\.parca\.profileType/);
    } finally {
      await onlyOffCpu.close();
    }
  });

  test('bad input is refused before anything is sent', async () => {
    reset();
    await rejection(fetchParcaProfile({ ...base(), profileType: 'cpu' }), 'bad-input');
    await rejection(fetchParcaProfile({ ...base(), profileType: 'a:b:c:d:e{x="y"}' }), 'bad-input');
    await rejection(fetchParcaProfile({ ...base(), queryTemplate: '{pod="${pod}"} or vector(1)' }), 'bad-input');
    await rejection(fetchParcaProfile({ ...base(), windowSeconds: 0 }), 'bad-input');
    await rejection(fetchParcaProfile({ ...base(), authorization: 'Bearer a\r\nX-Evil: 1' }), 'bad-input');
    assert.equal(fake.requests.length, 0);
    assert.throws(() => directParcaEndpoint({ url: 'ftp://x' }), (e: unknown) => isParcaError(e) && e.kind === 'bad-input');
    assert.throws(() => directParcaEndpoint({ url: 'http://user:pw@127.0.0.1:7070' }), (e: unknown) => isParcaError(e) && e.kind === 'bad-input');
    assert.throws(() => directParcaEndpoint({ url: 'not a url' }), (e: unknown) => isParcaError(e) && e.kind === 'bad-input');
  });

  test('a token is sent as Authorization; refused tokens are unauthenticated and never appear in messages', async () => {
    reset();
    fake.token = 'good-token-1234';
    checkCatalogProfile(await fetchParcaProfile({ ...base(), authorization: 'Bearer good-token-1234' }));
    assert.ok(fake.requests.every((r) => r.authorization === 'Bearer good-token-1234'));
    // The fake echoes the header it got in grpc-message, as careless servers do.
    const wrong = await rejection(fetchParcaProfile({ ...base(), authorization: 'Bearer s3cr3t-wrong-token' }), 'unauthenticated');
    assert.doesNotMatch(wrong.message, /s3cr3t/);
    assert.match(wrong.message, /The stored token was refused/);
    assert.match(wrong.message, /Set Parca Token/);
    assert.equal(wrong.grpcCode, 'UNAUTHENTICATED');
    const none = await rejection(fetchParcaProfile(base()), 'unauthenticated');
    assert.match(none.message, /No token was sent/);
    fake.token = undefined;
  });

  test('gRPC statuses in the body\'s trailers frame and in the headers (trailers-only) map to error kinds', async () => {
    const cases: Array<[number, ParcaErrorKind, RegExp]> = [
      [16, 'unauthenticated', /UNAUTHENTICATED/],
      [7, 'forbidden', /PERMISSION_DENIED/],
      [12, 'not-found', /not Parca/],
      [3, 'bad-input', /labelSelector/],
      [5, 'no-data', /No profile matches/],
      [4, 'timeout', /shorter window/],
      [14, 'unreachable', /not ready/],
      [8, 'bad-response', /too large/],
      [13, 'bad-response', /INTERNAL/],
      [1, 'cancelled', /cancelled/],
    ];
    for (const place of ['body', 'headers'] as const) {
      for (const [code, kind, re] of cases) {
        reset({ kind: 'grpc-error', code, message: `boom %: Bearer leaked-abcdef ${code}`, place }, 'Query');
        const e = await rejection(fetchParcaProfile({ ...base(), authorization: 'Bearer leaked-abcdef' }), kind);
        assert.match(e.message, re);
        assert.doesNotMatch(e.message, /leaked-abcdef/);
        if (kind !== 'cancelled') assert.match(e.message, new RegExp(`boom %: .*${code}`), 'the server\'s message, percent-decoded');
      }
    }
  });

  test('HTTP errors, web pages and non-Parca servers', async () => {
    const cases: Array<[FakeParcaMode, ParcaErrorKind, RegExp]> = [
      [{ kind: 'http-status', status: 401 }, 'unauthenticated', /401/],
      [{ kind: 'http-status', status: 403 }, 'forbidden', /403/],
      [{ kind: 'http-status', status: 404, body: '404 page not found' }, 'not-found', /default port 7070/],
      [{ kind: 'http-status', status: 503 }, 'unreachable', /503/],
      [{ kind: 'http-status', status: 504 }, 'timeout', /504/],
      [{ kind: 'http-status', status: 500, body: 'oops' }, 'bad-response', /oops/],
      [{ kind: 'html', status: 404 }, 'not-found', /HTTP 404/],
      [{ kind: 'html', status: 200 }, 'not-found', /a web page instead of gRPC-Web/],
    ];
    for (const [mode, kind, re] of cases) {
      reset(mode);
      const e = await rejection(fetchParcaProfile(base()), kind);
      assert.match(e.message, re);
      assert.doesNotMatch(e.message, /<html|DOCTYPE/i);
    }
  });

  test('broken answers: cut off, stopping mid-frame, without trailers, undecodable message', async () => {
    const cases: Array<[FakeParcaMode, RegExp]> = [
      [{ kind: 'cut-off' }, /broke off its answer after \d+ bytes of \d+/],
      [{ kind: 'mid-frame' }, /cannot be read: a frame declares \d+ bytes but only \d+ arrived/],
      [{ kind: 'no-trailers' }, /without a gRPC status/],
      [{ kind: 'garbage-message' }, /does not decode/],
    ];
    for (const [mode, re] of cases) {
      reset(mode, 'Query');
      const e = await rejection(fetchParcaProfile(base()), 'bad-response');
      assert.match(e.message, re);
    }
    // An answer over the size cap is refused while reading.
    reset();
    const big = await rejection(fetchParcaProfile({ ...base(), profileType: cpuType, maxBytes: 1000 }), 'bad-response');
    assert.match(big.message, /larger than|more than the 1000-byte limit/);
  });

  test('nothing listening: unreachable, with what to check', async () => {
    const port = await closedPort();
    const e = await rejection(fetchParcaProfile({ ...base(), ...directParcaEndpoint({ url: `http://127.0.0.1:${port}` }) }), 'unreachable');
    assert.match(e.message, /connection refused/);
    assert.match(e.message, /podProfiler\.parca\.url/);
  });

  test('cancellation: an aborted signal ends a hanging call at once and closes the connection', async () => {
    reset({ kind: 'slow' });
    const opened = fake.openSockets;
    const ac = new AbortController();
    const t0 = Date.now();
    const pending = fetchParcaProfile({ ...base(), signal: ac.signal });
    await waitFor(() => fake.requests.length === 1, 'the request to arrive');
    ac.abort();
    await rejection(pending, 'cancelled');
    assert.ok(Date.now() - t0 < 2000);
    await waitFor(() => fake.openSockets <= opened, 'the client to close its connection');
    // Already aborted: nothing is sent.
    fake.requests.length = 0;
    await rejection(fetchParcaProfile({ ...base(), signal: AbortSignal.abort() }), 'cancelled');
    assert.equal(fake.requests.length, 0);
  });

  test('timeout: a server that never answers is given up after timeoutMs', async () => {
    reset({ kind: 'slow' });
    const t0 = Date.now();
    const e = await rejection(fetchParcaProfile({ ...base(), timeoutMs: 400 }), 'timeout');
    const took = Date.now() - t0;
    assert.ok(took >= 350 && took < 3000, `took ${took} ms`);
    assert.match(e.message, /did not answer ProfileTypes within 0\.4 s/);
    assert.equal(fake.requests[0].grpcTimeout, '400m');
  });

  test('a transport that ignores its signal still cannot hang the call', async () => {
    const never: ParcaProfileRequest['post'] = () => new Promise(() => undefined);
    await rejection(fetchParcaProfile({ ...base(), post: never, timeoutMs: 200 }), 'timeout');
    const ac = new AbortController();
    const p = fetchParcaProfile({ ...base(), post: never, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await rejection(p, 'cancelled');
  });

  test('messages never carry secrets and all say what to do', () => {
    assert.ok(messages.length > 30, `${messages.length} messages collected`);
    for (const m of messages) {
      assert.doesNotMatch(m, /good-token-1234|s3cr3t|leaked-abcdef/);
      assert.ok(m.length > 15, m);
    }
  });
});

describe('grpc-js (a real gRPC implementation) against the same fake and proto', () => {
  let fake: FakeParca;
  let client: grpc.Client;
  before(async () => {
    fake = await FakeParca.start({ profile: fixture, series: [catalog] });
    client = new grpc.Client(fake.address, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await fake?.close();
  });

  function unary<T>(path: string, req: Buffer, decode: (b: Buffer) => T, metadata = new grpc.Metadata()): Promise<T> {
    return new Promise((resolve, reject) =>
      client.makeUnaryRequest(path, (b: Buffer) => b, decode, req, metadata, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  }

  test('ProfileTypes and Query over native gRPC return the same types and the file\'s pprof bytes', async () => {
    const types = await unary<ProfileTypesResponseMsg>(profileTypesPath, encodeProfileTypesRequest({}), decodeProfileTypesResponse);
    assert.equal(chooseParcaCpuProfileType(types.types ?? [])?.name, 'parca_agent');
    const res = await unary<QueryResponseMsg>(
      queryPath,
      encodeQueryRequest({ mode: 2, merge: { query: `${cpuType}{namespace="shop", pod="catalog-7d9f8-abcde"}`, start: { seconds: 1 }, end: { seconds: 61 } }, report_type: 1 }),
      decodeQueryResponse,
    );
    assert.ok(Buffer.from(res.pprof!).equals(fixture), 'pprof bytes as recorded');
    assert.equal(fake.requests.at(-1)?.protocol, 'grpc');
    assert.equal(fake.requests.at(-1)?.contentType, 'application/grpc');
  });

  test('error statuses reach grpc-js with their code and percent-decoded message', async () => {
    fake.mode = { kind: 'grpc-error', code: 7, message: 'no access: 100% ✗', place: 'body' };
    try {
      await assert.rejects(unary(queryPath, encodeQueryRequest({ mode: 2, merge: { query: 'x{}' }, report_type: 1 }), decodeQueryResponse), (e: grpc.ServiceError) => {
        assert.equal(e.code, grpc.status.PERMISSION_DENIED);
        assert.equal(e.details, 'no access: 100% ✗');
        return true;
      });
    } finally {
      fake.mode = { kind: 'ok' };
    }
  });
});

describe('Parca through the Kubernetes API server\'s service proxy', () => {
  let fake: FakeParca;
  let api: FakeApiServer;
  let dir: string;
  let kc: ReturnType<typeof loadKubeConfig>['kc'];
  const svc = parseParcaServiceRef('parca/parca:7070');
  const base = (): ParcaProfileRequest => ({ ...serviceProxyParcaEndpoint(kc, svc), namespace: 'shop', pod: 'catalog-7d9f8-abcde', timeoutMs: 10_000 });

  before(async () => {
    fake = await FakeParca.start({ profile: fixture, series: [catalog] });
    api = await FakeApiServer.start({
      namespaces: ['shop', 'parca'],
      pods: [
        {
          name: 'parca-0',
          namespace: 'parca',
          phase: 'Running',
          nodeName: 'node-b2',
          podIP: '10.244.2.70',
          createdAt: new Date(Date.now() - 86400_000),
          containers: [{ name: 'parca', image: 'ghcr.io/parca-dev/parca:v0.24.0', ports: [{ name: 'http', containerPort: 7070 }] }],
          labels: { 'app.kubernetes.io/name': 'parca' },
          upstreams: { 7070: fake.url },
        },
      ],
      services: [
        {
          name: 'parca',
          namespace: 'parca',
          clusterIP: '10.96.70.70',
          selector: { 'app.kubernetes.io/name': 'parca' },
          ports: [{ name: 'http', port: 7070, targetPort: 7070 }],
          createdAt: new Date(Date.now() - 86400_000),
        },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'parca-kube-'));
    kc = loadKubeConfig(api.writeKubeconfig(dir)).kc;
  });
  after(async () => {
    await api?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the same profile through POST .../services/parca:7070/proxy/parca.query.v1alpha1.QueryService/...', async () => {
    fake.requests.length = 0;
    const p = await fetchParcaProfile(base());
    checkCatalogProfile(p);
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path} ${r.contentType} ${r.xGrpcWeb}`), [
      `POST ${profileTypesPath} application/grpc-web+proto 1`,
      `POST ${queryPath} application/grpc-web+proto 1`,
    ]);
    // The kubeconfig's bearer token is for the API server only; it is not passed on to Parca.
    assert.ok(fake.requests.every((r) => r.authorization === undefined));
  });

  test('errors through the proxy: in-body gRPC status, wrong service, RBAC, API-server login, cancellation', async () => {
    fake.mode = { kind: 'grpc-error', code: 3, message: 'failed to parse query', place: 'body' };
    await rejection(fetchParcaProfile(base()), 'bad-input');
    // Trailers-only (grpc-status in HTTP headers): proxyRequest returns only the content type, so the status is
    // lost on the way (and the fake API server, like a header-filtering proxy, drops it too). Reported as an
    // answer without a status; Parca itself puts statuses in the body (improbable-eng grpcweb), as above.
    fake.mode = { kind: 'grpc-error', code: 7, message: 'denied', place: 'headers' };
    const lost = await rejection(fetchParcaProfile(base()), 'bad-response');
    assert.match(lost.message, /without a gRPC status/);
    fake.mode = { kind: 'ok' };
    const noSvc = await rejection(fetchParcaProfile({ ...base(), ...serviceProxyParcaEndpoint(kc, parseParcaServiceRef('monitoring/parca:7070')) }), 'not-found');
    assert.match(noSvc.message, /podProfiler\.parca\.service|parca/);
    api.setFailure('forbidden', 'proxy');
    try {
      const e = await rejection(fetchParcaProfile(base()), 'forbidden');
      assert.match(e.message, /services\/proxy/);
    } finally {
      api.setFailure('none');
    }
    api.setFailure('unauthorized', 'all');
    try {
      await rejection(fetchParcaProfile(base()), 'unauthenticated');
    } finally {
      api.setFailure('none');
    }
    fake.mode = { kind: 'slow' };
    try {
      const ac = new AbortController();
      const pending = fetchParcaProfile({ ...base(), signal: ac.signal });
      setTimeout(() => ac.abort(), 100);
      await rejection(pending, 'cancelled');
      await rejection(fetchParcaProfile({ ...base(), timeoutMs: 300 }), 'timeout');
    } finally {
      fake.mode = { kind: 'ok' };
    }
    for (const m of messages) assert.doesNotMatch(m, new RegExp(api.token));
  });
});
