// Stand-in for Pixie (Cloud passthrough or a Vizier query broker) on 127.0.0.1: a real grpc-js server speaking
// our px.api.vizierpb proto (ExecuteScript, server streaming) and px.cloudapi's GetClusterInfo. It checks the
// `pixie-api-key` metadata and the PxL it receives (table, pod filter, window), and answers the way Vizier
// streams results: QueryMetadata for the table first, then RowBatchData column slices across several
// messages with execution stats in between, the last batch with eow/eos.
//
// Its samples are real eBPF stacks: a BCC `profile -f` file rewritten into Pixie's shape (process-name root
// dropped, kernel frames `[k] name` instead of `name_[k]`), one row per distinct stack with summed counts,
// as Pixie's stack_traces.beta grouped by stack_trace_id gives.
//
// Clients connect through a TCP front door (plain or TLS passes through untouched), so the fake can cut
// connections mid-stream the way a broken network does ('drop-mid-batch').
import { Server, ServerCredentials, status, type ServerWritableStream, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import * as net from 'node:net';
import {
  decodeExecuteScriptRequest,
  decodeGetClusterInfoRequest,
  encodeExecuteScriptResponse,
  encodeGetClusterInfoResponse,
  executeScriptPath,
  getClusterInfoPath,
  uuidFromString,
  type CloudClusterInfo,
  type VzColumn,
  type VzExecuteScriptRequest,
  type VzExecuteScriptResponse,
  type CloudGetClusterInfoRequest,
  type CloudGetClusterInfoResponse,
} from '../../src/sources/agents/pixie/vizierProtocol';
import { makeServerCert, makeTestCa, type Pem } from './testCerts';

export type FakeVizierMode =
  | 'ok'
  | 'script-error' // a compiler error in the response status, as Vizier reports PxL errors
  | 'unknown-cluster' // NOT_FOUND for any cluster id
  | 'cluster-disconnected' // FAILED_PRECONDITION: the cluster's Vizier is not connected to the cloud
  | 'drop-mid-batch' // metadata and some batches, then the TCP connection is cut
  | 'end-without-eos' // metadata and some batches, then a clean end of stream without eos
  | 'hang' // accept the call, never answer (deadline/cancel tests)
  | 'no-rows'; // the table with zero rows (eos only)

export const fakeVizierModes: FakeVizierMode[] = ['ok', 'script-error', 'unknown-cluster', 'cluster-disconnected', 'drop-mid-batch', 'end-without-eos', 'hang', 'no-rows'];

export interface FakeVizierPod {
  namespace: string;
  /** Pod name without namespace (Pixie's ctx['pod'] is "namespace/name"). */
  name: string;
  node: string;
  container: string;
  pid: number;
  cmdline: string;
  /** BCC folded text (`comm;frame;..._[k] count` lines) of this pod's samples. Empty: no samples. */
  folded: string;
}

export interface ReceivedScript {
  clusterId: string;
  pxl: string;
  /** `table=` of px.DataFrame, `start_time=`, and the value compared with df.pod (undefined when absent). */
  table?: string;
  window?: string;
  podFilter?: string;
  containerFilter?: string;
  /** Whether the pixie-api-key was the right one. */
  authorized: boolean;
}

export interface FakeVizierOptions {
  pods: FakeVizierPod[];
  apiKey?: string;
  clusterId?: string;
  clusterName?: string;
  /** Serve TLS with a fresh test CA (default) or plaintext. */
  tls?: boolean;
  /** Rows per RowBatchData message. Default 40. */
  rowsPerBatch?: number;
}

export interface FakeVizierState {
  /** host:port clients dial (the front door). */
  address: string;
  apiKey: string;
  clusterId: string;
  clusterName: string;
  /** PEM of the CA that signed the server certificate (TLS only). */
  caPem?: string;
  /** The pods with samples, "namespace/name". */
  pods: string[];
}

/** Rewrites BCC folded text into Pixie stack_traces.beta stacks with summed counts (distinct stack -> count). */
export function bccFoldedToPixieStacks(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const count = Number(line.slice(space + 1));
    if (space <= 0 || !Number.isFinite(count)) continue;
    const frames = line
      .slice(0, space)
      .split(';')
      .slice(1) // the process name (comm): Pixie's stacks start at the first real frame
      .map((f) => (f.endsWith('_[k]') ? `[k] ${f.slice(0, -4)}` : f.endsWith('_[j]') ? `[j] ${f.slice(0, -4)}` : f));
    if (frames.length === 0) continue;
    const stack = frames.join(';');
    out.set(stack, (out.get(stack) ?? 0) + count);
  }
  return out;
}

/** What the fake reads out of a PxL script: just enough to check what the client asked for. */
export function inspectPxl(pxl: string): Pick<ReceivedScript, 'table' | 'window' | 'podFilter' | 'containerFilter'> {
  const str = `'((?:[^'\\\\]|\\\\.)*)'`;
  const unq = (s: string | undefined) => s?.replace(/\\(.)/g, '$1');
  const df = new RegExp(`px\\.DataFrame\\(table=${str}(?:, start_time=${str})?\\)`).exec(pxl);
  const pod = new RegExp(`df\\[df\\.pod == ${str}\\]`).exec(pxl);
  const container = new RegExp(`df\\[df\\.container == ${str}\\]`).exec(pxl);
  return { table: unq(df?.[1]), window: unq(df?.[2]), podFilter: unq(pod?.[1]), containerFilter: unq(container?.[1]) };
}

interface OutputRow {
  node: string;
  namespace: string;
  pod: string;
  container: string;
  pid: number;
  cmdline: string;
  stack_trace_id: number;
  stack_trace: string;
  count: number;
}

const outputRelation = [
  ['node', 'STRING', 'ST_NODE_NAME'],
  ['namespace', 'STRING', 'ST_NAMESPACE_NAME'],
  ['pod', 'STRING', 'ST_POD_NAME'],
  ['container', 'STRING', 'ST_CONTAINER_NAME'],
  ['pid', 'INT64', 'ST_NONE'],
  ['cmdline', 'STRING', 'ST_NONE'],
  ['stack_trace_id', 'INT64', 'ST_NONE'],
  ['stack_trace', 'STRING', 'ST_NONE'],
  ['count', 'INT64', 'ST_NONE'],
] as const;

function columnsOf(rows: OutputRow[]): VzColumn[] {
  return outputRelation.map(([name, type]) => {
    const values = rows.map((r) => r[name as keyof OutputRow]);
    return type === 'STRING' ? { string_data: { data: values as string[] } } : { int64_data: { data: (values as number[]).map(String) } };
  });
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeVizier {
  mode: FakeVizierMode = 'ok';
  readonly scripts: ReceivedScript[] = [];
  /** ExecuteScript calls still open (a cancelled client must bring this back to 0). */
  active = 0;
  readonly state: FakeVizierState;
  private readonly front: net.Server;
  private readonly rows = new Map<string, OutputRow[]>();

  private constructor(
    private readonly grpcServer: Server,
    front: net.Server,
    private readonly sockets: Set<net.Socket>,
    state: FakeVizierState,
    private readonly options: FakeVizierOptions,
  ) {
    this.front = front;
    this.state = state;
    let id = 1;
    for (const p of options.pods) {
      const rows: OutputRow[] = [];
      for (const [stack, count] of bccFoldedToPixieStacks(p.folded)) {
        rows.push({ node: p.node, namespace: p.namespace, pod: `${p.namespace}/${p.name}`, container: p.container, pid: p.pid, cmdline: p.cmdline, stack_trace_id: id++, stack_trace: stack, count });
      }
      this.rows.set(`${p.namespace}/${p.name}`, rows);
    }
  }

  static async start(options: FakeVizierOptions): Promise<FakeVizier> {
    const apiKey = options.apiKey ?? 'px-api-2b9e0c1d-fake-key-for-tests';
    const clusterId = options.clusterId ?? '7c1f4e2a-93b5-4d61-8f0e-2a6b5c9d1e43';
    const useTls = options.tls ?? true;
    let ca: Pem | undefined;
    let creds = ServerCredentials.createInsecure();
    if (useTls) {
      ca = await makeTestCa('pod-profiler-test-pixie-ca');
      const cert = await makeServerCert(ca, 'vizier-query-broker');
      creds = ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(cert.cert), private_key: Buffer.from(cert.key) }], false);
    }
    const server = new Server();
    let self: FakeVizier | undefined;
    const service: UntypedServiceImplementation = {
      ExecuteScript: (call: ServerWritableStream<VzExecuteScriptRequest, VzExecuteScriptResponse>) => void self!.executeScript(call),
      GetClusterInfo: (call: ServerUnaryCall<CloudGetClusterInfoRequest, CloudGetClusterInfoResponse>, cb: sendUnaryData<CloudGetClusterInfoResponse>) =>
        self!.getClusterInfo(call, cb),
    };
    server.addService(
      {
        ExecuteScript: {
          path: executeScriptPath,
          requestStream: false,
          responseStream: true,
          requestDeserialize: decodeExecuteScriptRequest,
          responseSerialize: encodeExecuteScriptResponse,
          requestSerialize: () => Buffer.alloc(0),
          responseDeserialize: () => ({}),
        },
        GetClusterInfo: {
          path: getClusterInfoPath,
          requestStream: false,
          responseStream: false,
          requestDeserialize: decodeGetClusterInfoRequest,
          responseSerialize: encodeGetClusterInfoResponse,
          requestSerialize: () => Buffer.alloc(0),
          responseDeserialize: () => ({}),
        },
      },
      service,
    );
    const innerPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, port) => (err ? reject(err) : resolve(port))));
    // The front door: a byte pipe to the gRPC server, so tests can cut a client's connection.
    const sockets = new Set<net.Socket>();
    const front = net.createServer((client) => {
      const upstream = net.connect(innerPort, '127.0.0.1');
      sockets.add(client);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        sockets.delete(client);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const state: FakeVizierState = {
      address: `127.0.0.1:${(front.address() as net.AddressInfo).port}`,
      apiKey,
      clusterId,
      clusterName: options.clusterName ?? 'fake-shop',
      caPem: ca?.cert,
      pods: options.pods.map((p) => `${p.namespace}/${p.name}`),
    };
    self = new FakeVizier(server, front, sockets, state, options);
    return self;
  }

  /** Cuts every client connection (as a network failure would). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private authorized(md: { get(key: string): unknown[] }): boolean {
    const keys = md.get('pixie-api-key');
    return keys.length === 1 && String(keys[0]) === this.state.apiKey;
  }

  private getClusterInfo(call: ServerUnaryCall<CloudGetClusterInfoRequest, CloudGetClusterInfoResponse>, cb: sendUnaryData<CloudGetClusterInfoResponse>): void {
    if (!this.authorized(call.metadata)) {
      cb({ code: status.UNAUTHENTICATED, details: 'invalid API key' });
      return;
    }
    const statusName = this.mode === 'cluster-disconnected' ? 'CS_DISCONNECTED' : 'CS_HEALTHY';
    const clusters: CloudClusterInfo[] = [
      {
        id: uuidFromString(this.state.clusterId),
        status: statusName,
        cluster_name: this.state.clusterName,
        pretty_cluster_name: this.state.clusterName,
        vizier_version: '0.14.15',
        cluster_version: 'v1.30.2',
        config: { passthrough_enabled: true },
        num_nodes: 2,
        num_instrumented_nodes: 2,
      },
      {
        id: uuidFromString('0b8e8d4c-1111-4a2b-9c3d-5e6f70819203'),
        status: 'CS_DISCONNECTED',
        cluster_name: 'gke_acme_europe-west1_staging',
        pretty_cluster_name: 'staging',
        status_message: 'Vizier has not sent a heartbeat for 3 days',
      },
    ];
    cb(null, { clusters });
  }

  private async executeScript(call: ServerWritableStream<VzExecuteScriptRequest, VzExecuteScriptResponse>): Promise<void> {
    this.active++;
    let cancelled = false;
    call.on('cancelled', () => (cancelled = true));
    const done = () => {
      this.active--;
    };
    const req = call.request;
    const pxl = req.query_str ?? '';
    const authorized = this.authorized(call.metadata);
    this.scripts.push({ clusterId: req.cluster_id ?? '', pxl, ...inspectPxl(pxl), authorized });
    const fail = (code: number, details: string) => {
      call.emit('error', { code, details });
      done();
    };
    if (!authorized) {
      const got = call.metadata.get('pixie-api-key');
      // Echo the key like a careless server would: the client must scrub it from what it shows.
      return fail(status.UNAUTHENTICATED, got.length ? `invalid API key ${String(got[0])}` : 'no pixie-api-key in request metadata');
    }
    if (this.mode === 'unknown-cluster' || req.cluster_id !== this.state.clusterId) {
      return fail(status.NOT_FOUND, `cluster ${req.cluster_id || '(empty)'} not found`);
    }
    if (this.mode === 'cluster-disconnected') return fail(status.FAILED_PRECONDITION, 'Vizier is not connected (cluster status CS_DISCONNECTED)');
    if (this.mode === 'hang') {
      await new Promise<void>((r) => call.on('cancelled', () => r()));
      return done();
    }
    const queryId = 'a3f5c2d1-0e9b-4c7a-8d6f-1b2c3d4e5f60';
    const write = (msg: VzExecuteScriptResponse) => {
      if (!cancelled) call.write({ query_id: queryId, ...msg });
    };
    const { table, podFilter, containerFilter } = inspectPxl(pxl);
    if (this.mode === 'script-error' || table !== 'stack_traces.beta') {
      write({
        status: {
          code: status.INVALID_ARGUMENT,
          message: 'Script compilation failed',
          error_details: [{ compiler_error: { line: 4, column: 6, message: `Table '${table ?? '?'}' not found.` } }],
        },
      });
      call.end();
      return done();
    }
    let rows = (podFilter !== undefined && this.rows.get(podFilter)) || [];
    if (containerFilter !== undefined) rows = rows.filter((r) => r.container === containerFilter);
    if (this.mode === 'no-rows') rows = [];
    const tableId = '6d1b0c7e-2f3a-4b5c-9d8e-7f6a5b4c3d2e';
    write({
      meta_data: {
        id: tableId,
        name: 'stack_traces',
        relation: { columns: outputRelation.map(([n, t, s]) => ({ column_name: n, column_type: t, column_semantic_type: s })) },
      },
    });
    const per = Math.max(1, this.options.rowsPerBatch ?? 40);
    const batches: OutputRow[][] = [];
    for (let i = 0; i < rows.length; i += per) batches.push(rows.slice(i, i + per));
    const broken = this.mode === 'drop-mid-batch' || this.mode === 'end-without-eos';
    // A broken stream stops after about half the batches (at least one), before any eos.
    const sendCount = broken ? Math.max(1, Math.floor(batches.length / 2)) : batches.length;
    for (let b = 0; b < sendCount; b++) {
      if (cancelled) return done();
      const last = !broken && b === batches.length - 1;
      write({ data: { batch: { table_id: tableId, cols: columnsOf(batches[b]), num_rows: batches[b].length, eow: last, eos: last } } });
      if (b % 3 === 1) write({ data: { execution_stats: { timing: { execution_time_ns: 1_200_000 * b, compilation_time_ns: 800_000 }, records_processed: (b + 1) * per } } });
      await tick(1); // separate messages on the wire, like a real stream
    }
    if (this.mode === 'drop-mid-batch') {
      await tick(30); // let the sent batches reach the client, then cut the line
      this.dropConnections();
      return done();
    }
    if (batches.length === 0 && !broken) {
      // Vizier closes a table that got no rows with an empty eow/eos batch.
      write({ data: { batch: { table_id: tableId, cols: [], num_rows: 0, eow: true, eos: true } } });
    }
    call.end();
    done();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((r) => this.front.close(() => r()));
    this.grpcServer.forceShutdown();
  }
}
