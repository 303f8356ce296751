// A fake Grafana Pyroscope query API for tests, speaking the Connect protocol's unary form over HTTP/1.1:
// POST /querier.v1.QuerierService/{ProfileTypes,SelectMergeProfile,LabelValues} with Content-Type
// application/proto, binary protobuf bodies, and errors as a non-2xx status with a JSON body {code, message}.
//
// It is deliberately independent of the product's protocol code: requests are read by a hand-rolled wire
// reader keyed by the field numbers of grafana/pyroscope's querier.proto/types.proto, answers are written
// the same way, and label selectors are parsed by its own small matcher parser. So a wrong field number or
// a badly escaped selector in the product shows up as a failing request here.
//
// SelectMergeProfile answers the recorded pprof (un-gzipped: Pyroscope sends a plain google.v1.Profile) when
// the selector matches one of `series`, and an empty profile (sample types, no samples) otherwise, which is
// what an empty merge looks like. Failure modes are switchable at run time.
//
// Cross-checked once by hand (not a test: the packages are not dependencies) with the real Connect stack,
// @connectrpc/connect(-node) 1.x with @bufbuild/protobuf 1.x message types declared from the same field
// numbers: its client read this fake's ProfileTypes and got SelectMergeProfile's pprof byte for byte, and
// read its JSON errors as invalid_argument / unauthenticated("no org id"); and our client fetched the
// profile from a connect-node server (which saw Content-Type application/proto and our Connect-Timeout-Ms)
// and mapped its Unauthenticated error. No profilecli or Pyroscope binary exists on this machine.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type FakePyroscopeMode =
  | 'normal'
  | 'not-pyroscope' // a plain Go server: 404 page not found on every path
  | 'html' // a web UI at that port: 200 text/html
  | 'truncated' // the profile's Content-Length is sent, half the bytes, then the connection drops
  | 'garbage' // 200 application/proto with bytes that are no pprof
  | 'hang' // never answers
  | 'reset' // drops the connection before answering
  | 'unavailable'; // Connect unavailable (503)

export interface FakePyroscopeOptions {
  /** pprof bytes (gzipped or not) answered for a matching selector. */
  profile: Uint8Array;
  /** Label sets that have profiles; a selector matching one of them gets `profile`. */
  series: Array<Record<string, string>>;
  /** Profile type IDs ProfileTypes lists. Default: process_cpu, memory and goroutine types of a Go SDK. */
  profileTypes?: string[];
  /** When set, requests must carry this exact Authorization value (else 401). */
  authorization?: string;
  /** How a 401 for bad credentials looks: a Connect error (default) or a gateway's plain text. */
  authFailureStyle?: 'connect' | 'plain';
  /** When set, requests must carry X-Scope-OrgID equal to it (a multi-tenant server says "no org id"). */
  tenant?: string;
  /** Delay before every answer, ms (slow server). */
  delayMs?: number;
}

export interface FakePyroscopeRequest {
  method: string;
  path: string;
  contentType: string;
  connectProtocolVersion?: string;
  connectTimeoutMs?: string;
  tenant?: string;
  /** Whether an Authorization header came (its value is never logged). */
  hadAuthorization: boolean;
  /** Size of the request body received. */
  bodyBytes: number;
  /** Decoded request fields by name (as the real schema names them). */
  fields: Record<string, unknown>;
  status: number;
}

export const defaultFakeProfileTypes = [
  'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
  'process_cpu:samples:count:cpu:nanoseconds',
  'memory:alloc_space:bytes:space:bytes',
  'memory:inuse_space:bytes:space:bytes',
  'goroutine:goroutine:count:goroutine:count',
];

export class FakePyroscope {
  mode: FakePyroscopeMode = 'normal';
  readonly requests: FakePyroscopeRequest[] = [];
  /** Requests not yet answered or abandoned (a cancelled call must bring this back to 0). */
  active = 0;
  private readonly rawProfile: Buffer;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    readonly options: FakePyroscopeOptions,
  ) {
    const p = Buffer.from(options.profile);
    this.rawProfile = p[0] === 0x1f && p[1] === 0x8b ? gunzipSync(p) : p;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(options: FakePyroscopeOptions): Promise<FakePyroscope> {
    let self: FakePyroscope | undefined;
    const server = http.createServer((req, res) => self!.handle(req, res));
    self = new FakePyroscope(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The pprof bytes answered for a match (what a real server sends: not gzipped). */
  get answeredProfile(): Buffer {
    return this.rawProfile;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.active += 1;
    res.on('close', () => (this.active -= 1));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const delay = this.options.delayMs ?? 0;
      if (delay <= 0) return this.answer(req, res, Buffer.concat(chunks));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.answer(req, res, Buffer.concat(chunks));
      }, delay);
      this.timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      });
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://pyroscope');
    const header = (h: string) => (typeof req.headers[h] === 'string' ? (req.headers[h] as string) : undefined);
    const entry: FakePyroscopeRequest = {
      method: req.method ?? '',
      path: url.pathname,
      contentType: header('content-type') ?? '',
      connectProtocolVersion: header('connect-protocol-version'),
      connectTimeoutMs: header('connect-timeout-ms'),
      tenant: header('x-scope-orgid'),
      hadAuthorization: req.headers.authorization !== undefined,
      bodyBytes: body.length,
      fields: {},
      status: 0,
    };
    this.requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));

    if (this.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (this.mode === 'hang') return;
    if (this.mode === 'not-pyroscope') return plain(res, 404, '404 page not found\n');
    if (this.mode === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Grafana</title></head><body></body></html>');
      return;
    }

    const procedures: Record<string, (b: Buffer) => Buffer | ConnectFailure> = {
      '/querier.v1.QuerierService/ProfileTypes': (b) => this.profileTypes(b, entry),
      '/querier.v1.QuerierService/SelectMergeProfile': (b) => this.selectMergeProfile(b, entry),
      '/querier.v1.QuerierService/LabelValues': (b) => this.labelValues(b, entry),
    };
    const procedure = procedures[url.pathname];
    if (!procedure) return plain(res, 404, '404 page not found\n');
    // connect-go: unary procedures take POST only (GET only when enabled for side-effect-free methods).
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    const contentType = entry.contentType.split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/proto') {
      // connect-go answers an unsupported codec with 415 and the codecs it accepts.
      res.writeHead(415, { 'Accept-Post': 'application/grpc, application/grpc+proto, application/json, application/proto' });
      res.end();
      return;
    }
    if (entry.connectProtocolVersion !== undefined && entry.connectProtocolVersion !== '1') {
      return connectError(res, { code: 'invalid_argument', message: `connect-protocol-version must be "1": got "${entry.connectProtocolVersion}"` });
    }
    if (this.options.authorization !== undefined && req.headers.authorization !== this.options.authorization) {
      if (this.options.authFailureStyle === 'plain') return plain(res, 401, 'invalid authentication credentials\n');
      return connectError(res, { code: 'unauthenticated', message: 'invalid authentication credentials' });
    }
    if (this.options.tenant !== undefined && entry.tenant !== this.options.tenant) {
      // Pyroscope's tenant middleware: no header -> "no org id"; any other tenant simply has no data.
      if (!entry.tenant) return connectError(res, { code: 'unauthenticated', message: 'no org id' });
    }
    if (this.mode === 'unavailable') return connectError(res, { code: 'unavailable', message: 'too many unhealthy instances in the ring' });

    const out = procedure(body);
    if (!Buffer.isBuffer(out)) return connectError(res, out);
    if (this.mode === 'garbage' && url.pathname.endsWith('/SelectMergeProfile')) {
      res.writeHead(200, { 'Content-Type': 'application/proto', 'Content-Length': 64 });
      res.end(Buffer.alloc(64, 0xff));
      return;
    }
    if (this.mode === 'truncated' && url.pathname.endsWith('/SelectMergeProfile')) {
      res.writeHead(200, { 'Content-Type': 'application/proto', 'Content-Length': out.length });
      res.write(out.subarray(0, Math.floor(out.length / 2)), () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/proto', 'Content-Length': out.length });
    res.end(out);
  }

  private tenantHasData(entry: FakePyroscopeRequest): boolean {
    return this.options.tenant === undefined || entry.tenant === this.options.tenant;
  }

  // ---- procedures (field numbers from grafana/pyroscope api/querier/v1/querier.proto, api/types/v1/types.proto)

  private profileTypes(body: Buffer, entry: FakePyroscopeRequest): Buffer | ConnectFailure {
    const f = readMessage(body);
    if (!f) return { code: 'invalid_argument', message: 'unmarshal message: proto: cannot parse invalid wire-format data' };
    // ProfileTypesRequest: start = 1, end = 2 (int64)
    entry.fields = { start: f.int(1), end: f.int(2) };
    if (!this.tenantHasData(entry)) return Buffer.alloc(0);
    const types = this.options.profileTypes ?? defaultFakeProfileTypes;
    // ProfileTypesResponse: repeated types.v1.ProfileType profile_types = 1;
    // ProfileType: ID = 1, name = 2, sample_type = 4, sample_unit = 5, period_type = 6, period_unit = 7
    return Buffer.concat(
      types.map((id) => {
        const [name, sampleType, sampleUnit, periodType, periodUnit] = id.split(':');
        const t = Buffer.concat([lenField(1, id), lenField(2, name), lenField(4, sampleType), lenField(5, sampleUnit), lenField(6, periodType), lenField(7, periodUnit)]);
        return lenField(1, t);
      }),
    );
  }

  private selectMergeProfile(body: Buffer, entry: FakePyroscopeRequest): Buffer | ConnectFailure {
    const f = readMessage(body);
    if (!f) return { code: 'invalid_argument', message: 'unmarshal message: proto: cannot parse invalid wire-format data' };
    // SelectMergeProfileRequest: profile_typeID = 1, label_selector = 2, start = 3, end = 4, max_nodes = 5
    const profileType = f.str(1);
    const selector = f.str(2);
    const start = f.int(3);
    const end = f.int(4);
    entry.fields = { profile_typeID: profileType, label_selector: selector, start, end, max_nodes: f.has(5) ? f.int(5) : undefined };
    if (!profileType || profileType.split(':').length !== 5) return { code: 'invalid_argument', message: `invalid profile type ID "${profileType}"` };
    if (!(end > start)) return { code: 'invalid_argument', message: 'the end time must be after the start time' };
    let matchers: LabelMatcher[];
    try {
      matchers = parseSelector(selector);
    } catch (e) {
      return { code: 'invalid_argument', message: `parse error: ${(e as Error).message}` };
    }
    const types = this.options.profileTypes ?? defaultFakeProfileTypes;
    const hit =
      this.tenantHasData(entry) && types.includes(profileType) && profileType.startsWith('process_cpu:') && this.options.series.some((s) => matchers.every((m) => m.matches(s)));
    return hit ? this.rawProfile : emptyCpuProfile();
  }

  private labelValues(body: Buffer, entry: FakePyroscopeRequest): Buffer | ConnectFailure {
    const f = readMessage(body);
    if (!f) return { code: 'invalid_argument', message: 'unmarshal message: proto: cannot parse invalid wire-format data' };
    // types.v1.LabelValuesRequest: name = 1, repeated matchers = 2, start = 3, end = 4
    const name = f.str(1);
    const selectors = f.strs(2);
    entry.fields = { name, matchers: selectors, start: f.int(3), end: f.int(4) };
    let parsed: LabelMatcher[][];
    try {
      parsed = selectors.map(parseSelector);
    } catch (e) {
      return { code: 'invalid_argument', message: `parse error: ${(e as Error).message}` };
    }
    const values = new Set<string>();
    if (this.tenantHasData(entry)) {
      for (const s of this.options.series) {
        if (s[name] !== undefined && (parsed.length === 0 || parsed.some((ms) => ms.every((m) => m.matches(s))))) values.add(s[name]);
      }
    }
    // LabelValuesResponse: repeated string names = 1
    return Buffer.concat([...values].sort().map((v) => lenField(1, v)));
  }
}

interface ConnectFailure {
  code: string;
  message: string;
}

/** HTTP status of each Connect code (connectrpc.com/docs/protocol#error-codes). */
const connectHttpStatus: Record<string, number> = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
};

function connectError(res: http.ServerResponse, e: ConnectFailure): void {
  const text = JSON.stringify(e);
  res.writeHead(connectHttpStatus[e.code] ?? 500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

// ---- protobuf wire, by hand ------------------------------------------------------------------------------

function varintBytes(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

function lenField(field: number, value: string | Buffer): Buffer {
  const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from([...varintBytes(BigInt((field << 3) | 2)), ...varintBytes(BigInt(b.length))]), b]);
}

function intField(field: number, v: number): Buffer {
  return Buffer.from([...varintBytes(BigInt(field << 3)), ...varintBytes(BigInt(v))]);
}

/** A pprof with one sample type cpu/nanoseconds and no samples: an empty merge. */
function emptyCpuProfile(): Buffer {
  // Profile: sample_type = 1 (ValueType{type = 1, unit = 2}), string_table = 6, period_type = 11, period = 12
  const vt = Buffer.concat([intField(1, 1), intField(2, 2)]);
  return Buffer.concat([lenField(1, vt), lenField(6, ''), lenField(6, 'cpu'), lenField(6, 'nanoseconds'), lenField(11, vt), intField(12, 10_000_000)]);
}

interface WireFields {
  has(field: number): boolean;
  int(field: number): number;
  str(field: number): string;
  strs(field: number): string[];
}

/** Reads one message's fields; undefined when the bytes are not well-formed protobuf. */
function readMessage(buf: Buffer): WireFields | undefined {
  const values = new Map<number, Array<bigint | Buffer>>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new Error('varint too long');
  };
  try {
    while (pos < buf.length) {
      const key = Number(varint());
      const field = key >>> 3;
      const wire = key & 7;
      if (field === 0) throw new Error('field 0');
      let v: bigint | Buffer;
      if (wire === 0) v = varint();
      else if (wire === 2) {
        const len = Number(varint());
        if (pos + len > buf.length) throw new Error('truncated field');
        v = buf.subarray(pos, pos + len);
        pos += len;
      } else if (wire === 1) {
        if (pos + 8 > buf.length) throw new Error('truncated fixed64');
        v = buf.readBigUInt64LE(pos);
        pos += 8;
      } else if (wire === 5) {
        if (pos + 4 > buf.length) throw new Error('truncated fixed32');
        v = BigInt(buf.readUInt32LE(pos));
        pos += 4;
      } else throw new Error(`wire type ${wire}`);
      values.set(field, [...(values.get(field) ?? []), v]);
    }
  } catch {
    return undefined;
  }
  const last = (f: number) => values.get(f)?.at(-1);
  return {
    has: (f) => values.has(f),
    int: (f) => {
      const v = last(f);
      if (v === undefined) return 0;
      if (typeof v !== 'bigint') throw new Error(`field ${f} is not a varint`);
      return Number(BigInt.asIntN(64, v));
    },
    str: (f) => {
      const v = last(f);
      if (v === undefined) return '';
      if (!Buffer.isBuffer(v)) throw new Error(`field ${f} is not a string`);
      return v.toString('utf8');
    },
    strs: (f) => (values.get(f) ?? []).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))),
  };
}

// ---- label selectors: Prometheus matchers {name op "value", ...} -------------------------------------------

interface LabelMatcher {
  matches(labels: Record<string, string>): boolean;
}

/** Parses a selector with Go string unquoting; throws on anything else (like Pyroscope's parser). */
export function parseSelector(text: string): LabelMatcher[] {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw new Error(`selector must be {...}: ${JSON.stringify(text)}`);
  const out: LabelMatcher[] = [];
  let i = 1;
  const end = s.length - 1;
  const ws = () => {
    while (i < end && /\s/.test(s[i])) i++;
  };
  while (true) {
    ws();
    if (i >= end) break;
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(i, end))?.[0];
    if (!name) throw new Error(`unexpected ${JSON.stringify(s.slice(i, i + 10))}`);
    i += name.length;
    ws();
    const op = /^(=~|!~|!=|=)/.exec(s.slice(i, end))?.[0];
    if (!op) throw new Error(`expected an operator after ${name}`);
    i += op.length;
    ws();
    if (s[i] !== '"') throw new Error(`expected a string after ${name}${op}`);
    i++;
    let value = '';
    for (;;) {
      if (i >= end) throw new Error('unterminated string');
      const ch = s[i++];
      if (ch === '"') break;
      if (ch === '\n') throw new Error('newline in string');
      if (ch !== '\\') {
        value += ch;
        continue;
      }
      const e = s[i++];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (e in simple) value += simple[e];
      else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i, i + 2))) {
        value += String.fromCharCode(parseInt(s.slice(i, i + 2), 16));
        i += 2;
      } else throw new Error(`invalid escape \\${e}`);
    }
    const regex = op.endsWith('~') ? new RegExp(`^(?:${value})$`) : undefined;
    const negate = op.startsWith('!');
    out.push({
      matches: (labels) => {
        const v = labels[name] ?? '';
        const hit = regex ? regex.test(v) : v === value;
        return negate ? !hit : hit;
      },
    });
    ws();
    if (i < end) {
      if (s[i] !== ',') throw new Error(`expected , at ${i}`);
      i++;
    }
  }
  return out;
}
