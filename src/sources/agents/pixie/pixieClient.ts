// gRPC client of Pixie's Vizier API (through Pixie Cloud's passthrough, or direct to a self-hosted Vizier)
// and of the cloud's cluster list. Built on @grpc/grpc-js with our own protobufjs codecs (vizierProtocol).
//
// ExecuteScript streams, per table: one QueryMetadata (relation: column names and types), then RowBatchData
// messages holding column slices (a batch is columnar: cols[i].<type>_data.data[row]), the last one with
// eos. A table is complete only at its eos; a stream that ends or breaks before every announced table is
// complete is an error (stream-dropped), never silently partial data.
import { Client, credentials, Metadata, type CallOptions, type ChannelCredentials, type ClientReadableStream } from '@grpc/grpc-js';
import {
  decodeExecuteScriptResponse,
  decodeGetClusterInfoResponse,
  encodeExecuteScriptRequest,
  encodeGetClusterInfoRequest,
  executeScriptPath,
  getClusterInfoPath,
  uuidToString,
  type CloudClusterStatus,
  type CloudGetClusterInfoResponse,
  type VzColumn,
  type VzDataType,
  type VzExecuteScriptResponse,
  type VzStatus,
} from './vizierProtocol';
import { PixieError, toPixieError, vizierStatusError, type PixieCallContext } from './pixieErrors';

export const defaultPixieCloudAddress = 'work.withpixie.ai:443';

export interface PixieTlsOptions {
  /** PEM of the CA that signed the server's certificate (self-hosted Vizier, tests). Default: system roots. */
  caPem?: string;
  /** Expected server name when it differs from the address host (certificate's SAN). */
  serverName?: string;
}

export interface PixieClientOptions {
  /** host:port. Default work.withpixie.ai:443 (Pixie Cloud). */
  address?: string;
  /** Sent as `pixie-api-key` metadata. Never logged. */
  apiKey?: string;
  /** TLS settings, or `false` for plaintext (only for a Vizier reached over a trusted local hop, and tests). */
  tls?: PixieTlsOptions | false;
  /** Deadline of each call in ms. Default 60 s. */
  timeoutMs?: number;
  /** Largest single gRPC message accepted. Default 16 MiB. */
  maxMessageBytes?: number;
}

export type PixieCell = boolean | number | string | bigint;

export interface PixieColumnInfo {
  name: string;
  type: VzDataType;
  semanticType?: string;
}

export interface PixieTableInfo {
  id: string;
  name: string;
  columns: PixieColumnInfo[];
}

/** One RowBatchData, decoded into columns of plain values (INT64/TIME64NS as numbers, UINT128 as a UUID-form string). */
export interface PixieBatch {
  table: PixieTableInfo;
  numRows: number;
  columns: PixieCell[][];
  eow: boolean;
  eos: boolean;
}

export type PixieStreamEvent = { type: 'table'; table: PixieTableInfo } | { type: 'batch'; batch: PixieBatch };

export interface PixieTable extends PixieTableInfo {
  /** Rows keyed by column name. */
  rows: Array<Record<string, PixieCell>>;
}

export interface ExecuteScriptOptions {
  clusterId: string;
  signal?: AbortSignal;
  /** Overrides the client's deadline for this call. */
  timeoutMs?: number;
  /** For timing metrics on the Vizier side. */
  queryName?: string;
}

export interface CollectOptions extends ExecuteScriptOptions {
  /** Refuse results with more rows than this in total. Default 2,000,000. */
  maxRows?: number;
}

const dataKeys: Record<Exclude<VzDataType, 'DATA_TYPE_UNKNOWN'>, keyof VzColumn> = {
  BOOLEAN: 'boolean_data',
  INT64: 'int64_data',
  UINT128: 'uint128_data',
  FLOAT64: 'float64_data',
  STRING: 'string_data',
  TIME64NS: 'time64ns_data',
};

function uint128ToString(v: { low?: string | number; high?: string | number }): string {
  // Pixie renders UPIDs (the only UINT128 column) as a UUID-shaped string of high then low.
  return uuidToString({ high_bits: v.high, low_bits: v.low });
}

/** Column `col` of a batch as plain values, checked against the declared type and row count. */
function decodeColumn(col: VzColumn, info: PixieColumnInfo, numRows: number, table: string): PixieCell[] {
  const present = (Object.keys(col) as Array<keyof VzColumn>).filter((k) => col[k] !== undefined);
  const want = info.type === 'DATA_TYPE_UNKNOWN' ? undefined : dataKeys[info.type];
  const key = present[0];
  if (present.length !== 1 || (want && key !== want)) {
    throw new PixieError('bad-response', `Vizier sent column "${info.name}" of table "${table}" as ${key ?? 'nothing'}, but its relation says ${info.type}.`);
  }
  const data = ((col[key] as { data?: unknown[] }).data ?? []) as unknown[];
  if (data.length !== numRows) {
    throw new PixieError('bad-response', `Vizier sent ${data.length} values for column "${info.name}" of table "${table}" in a batch of ${numRows} rows.`);
  }
  switch (key) {
    case 'int64_data':
    case 'time64ns_data':
      return data.map((v) => Number(v));
    case 'uint128_data':
      return data.map((v) => uint128ToString(v as { low?: string; high?: string }));
    default:
      return data as PixieCell[];
  }
}

function statusOf(st: VzStatus | undefined): { code: number; message: string; compilerErrors: Array<{ line: number; column: number; message: string }> } | undefined {
  if (!st || !st.code) return undefined;
  return {
    code: st.code,
    message: st.message ?? '',
    compilerErrors: (st.error_details ?? [])
      .map((d) => d.compiler_error)
      .filter((c): c is NonNullable<typeof c> => !!c)
      .map((c) => ({ line: Number(c.line ?? 0), column: Number(c.column ?? 0), message: c.message ?? '' })),
  };
}

export class PixieClient {
  readonly address: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly client: Client;

  constructor(opts: PixieClientOptions = {}) {
    this.address = (opts.address ?? '').trim() || defaultPixieCloudAddress;
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    let creds: ChannelCredentials;
    const channelOptions: Record<string, string | number> = {
      'grpc.max_receive_message_length': opts.maxMessageBytes ?? 16 * 1024 * 1024,
      'grpc.primary_user_agent': 'pod-profiler',
      // Fail fast when the address is down instead of retrying until the deadline.
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.enable_retries': 0,
    };
    if (opts.tls === false) {
      creds = credentials.createInsecure();
    } else {
      creds = credentials.createSsl(opts.tls?.caPem ? Buffer.from(opts.tls.caPem) : null);
      if (opts.tls?.serverName) channelOptions['grpc.ssl_target_name_override'] = opts.tls.serverName;
    }
    this.client = new Client(this.address, creds, channelOptions);
  }

  close(): void {
    this.client.close();
  }

  private metadata(): Metadata {
    const md = new Metadata();
    md.set('pixie-api-client', 'pod-profiler');
    if (this.apiKey) md.set('pixie-api-key', this.apiKey);
    return md;
  }

  private context(clusterId: string | undefined, timeoutMs: number): PixieCallContext {
    return { address: this.address, clusterId, timeoutMs };
  }

  /**
   * Runs a PxL script and yields table announcements and decoded batches as they arrive. Throws PixieError:
   * script (Vizier status), auth, unknown-cluster, timeout, cancelled, stream-dropped, unreachable, ...
   * Breaking out of the loop cancels the call.
   */
  async *executeScript(pxl: string, opts: ExecuteScriptOptions): AsyncGenerator<PixieStreamEvent, void, undefined> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const ctx = this.context(opts.clusterId, timeoutMs);
    const secrets = [this.apiKey];
    if (!this.apiKey) {
      throw new PixieError('auth', `No Pixie API key is set. Run "Pod Profiler: Set Pixie API Key" first.`);
    }
    if (opts.signal?.aborted) throw new PixieError('cancelled', 'Pixie query cancelled.');
    const request = { query_str: pxl, cluster_id: opts.clusterId, query_name: opts.queryName };
    const callOptions: CallOptions = { deadline: Date.now() + timeoutMs };
    let call: ClientReadableStream<VzExecuteScriptResponse>;
    try {
      call = this.client.makeServerStreamRequest(executeScriptPath, encodeExecuteScriptRequest, decodeExecuteScriptResponse, request, this.metadata(), callOptions);
    } catch (e) {
      throw toPixieError(e, ctx, secrets);
    }
    const onAbort = () => call.cancel();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const tables = new Map<string, PixieTableInfo>();
    const open = new Set<string>();
    let finished = false;
    try {
      try {
        for await (const msg of call as AsyncIterable<VzExecuteScriptResponse>) {
          ctx.receivedData = true;
          const st = statusOf(msg.status);
          if (st) throw vizierStatusError(st, ctx, secrets);
          if (msg.meta_data) {
            const md = msg.meta_data;
            const id = md.id ?? '';
            const columns = (md.relation?.columns ?? []).map((c) => ({
              name: c.column_name ?? '',
              type: (typeof c.column_type === 'string' ? c.column_type : 'DATA_TYPE_UNKNOWN') as VzDataType,
              semanticType: typeof c.column_semantic_type === 'string' ? c.column_semantic_type : undefined,
            }));
            const info: PixieTableInfo = { id, name: md.name ?? id, columns };
            // Metadata comes once per table; a repeat (resumed query) must describe the same table.
            if (!tables.has(id)) {
              tables.set(id, info);
              open.add(id);
              yield { type: 'table', table: info };
            }
            continue;
          }
          if (msg.data?.encrypted_batch && msg.data.encrypted_batch.length > 0) {
            throw new PixieError('bad-response', 'Vizier sent an encrypted batch although no encryption was requested.');
          }
          const b = msg.data?.batch;
          if (!b) continue; // execution stats, mutation info
          const id = b.table_id ?? '';
          const table = tables.get(id);
          if (!table) throw new PixieError('bad-response', `Vizier sent rows for table id "${id}" before that table's metadata.`);
          if (!open.has(id)) throw new PixieError('bad-response', `Vizier sent rows for table "${table.name}" after its end of stream.`);
          const numRows = Number(b.num_rows ?? 0);
          const cols = b.cols ?? [];
          if (numRows > 0 && cols.length !== table.columns.length) {
            throw new PixieError('bad-response', `Vizier sent ${cols.length} columns for table "${table.name}", whose relation has ${table.columns.length}.`);
          }
          const columns = numRows > 0 ? cols.map((c, i) => decodeColumn(c, table.columns[i], numRows, table.name)) : table.columns.map(() => []);
          if (b.eos) open.delete(id);
          yield { type: 'batch', batch: { table, numRows, columns, eow: !!b.eow, eos: !!b.eos } };
        }
      } catch (e) {
        if (opts.signal?.aborted) throw new PixieError('cancelled', 'Pixie query cancelled.');
        throw toPixieError(e, ctx, secrets);
      }
      if (open.size > 0) {
        const names = [...open].map((id) => `"${tables.get(id)?.name}"`).join(', ');
        throw new PixieError('stream-dropped', `Pixie at ${this.address}: the result stream ended before table ${names} was complete (no end-of-stream). No partial profile was kept; try again.`);
      }
      finished = true;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!finished) call.cancel();
    }
  }

  /** Runs a PxL script and collects every table into rows (only complete tables are returned). */
  async queryTables(pxl: string, opts: CollectOptions): Promise<Map<string, PixieTable>> {
    const maxRows = opts.maxRows ?? 2_000_000;
    const out = new Map<string, PixieTable>();
    let total = 0;
    for await (const ev of this.executeScript(pxl, opts)) {
      if (ev.type === 'table') {
        out.set(ev.table.name, { ...ev.table, rows: [] });
        continue;
      }
      const { batch } = ev;
      total += batch.numRows;
      if (total > maxRows) throw new PixieError('bad-response', `Pixie returned more than ${maxRows} rows; try a shorter window.`);
      const rows = out.get(batch.table.name)!.rows;
      const names = batch.table.columns.map((c) => c.name);
      for (let r = 0; r < batch.numRows; r++) {
        const row: Record<string, PixieCell> = {};
        for (let c = 0; c < names.length; c++) row[names[c]] = batch.columns[c][r];
        rows.push(row);
      }
    }
    return out;
  }

  /** Clusters visible to the API key (Pixie Cloud only: px.cloudapi.VizierClusterInfo/GetClusterInfo). */
  async listClusters(opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<PixieClusterInfo[]> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const ctx = this.context(undefined, timeoutMs);
    if (!this.apiKey) throw new PixieError('auth', `No Pixie API key is set. Run "Pod Profiler: Set Pixie API Key" first.`);
    if (opts.signal?.aborted) throw new PixieError('cancelled', 'Pixie request cancelled.');
    const res = await new Promise<CloudGetClusterInfoResponse>((resolve, reject) => {
      const call = this.client.makeUnaryRequest(
        getClusterInfoPath,
        encodeGetClusterInfoRequest,
        decodeGetClusterInfoResponse,
        {},
        this.metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, value) => {
          opts.signal?.removeEventListener('abort', onAbort);
          if (err) reject(opts.signal?.aborted ? new PixieError('cancelled', 'Pixie request cancelled.') : toPixieError(err, ctx, [this.apiKey]));
          else resolve(value ?? {});
        },
      );
      const onAbort = () => call.cancel();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
    return (res.clusters ?? []).map((c) => ({
      id: uuidToString(c.id),
      name: c.cluster_name ?? '',
      prettyName: c.pretty_cluster_name || c.cluster_name || uuidToString(c.id),
      status: (typeof c.status === 'string' ? c.status : 'CS_UNKNOWN') as CloudClusterStatus,
      statusMessage: c.status_message || undefined,
      vizierVersion: c.vizier_version || undefined,
      passthrough: !!c.config?.passthrough_enabled,
    }));
  }
}

export interface PixieClusterInfo {
  /** UUID with dashes: the cluster_id of ExecuteScript. */
  id: string;
  /** `kubectl config current-context` at deploy time (may be empty). */
  name: string;
  prettyName: string;
  status: CloudClusterStatus;
  statusMessage?: string;
  vizierVersion?: string;
  passthrough: boolean;
}
