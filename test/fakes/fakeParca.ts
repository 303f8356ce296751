// A fake Parca server for tests: QueryService/ProfileTypes and QueryService/Query on one port, as gRPC-Web
// over HTTP/1.1 (what Pod Profiler and Parca's web UI speak) and as native gRPC over cleartext HTTP/2 (so a
// real gRPC implementation, @grpc/grpc-js, can check the framing, trailers and method paths), like Parca's
// own server which serves both on :7070. Messages use the extension's query.proto; the Query answer carries
// the real pprof bytes given (a recorded profile) when the query's profile type and label matchers select one
// of the configured series, and an empty pprof (sample type, no samples) otherwise, as Parca's merge of no
// series does. The frame layout and the query-matcher parsing here are written independently of the client.
//
// Failure modes (set `mode`, optionally only for one method): a gRPC status in the body's trailers frame
// (what Parca's improbable-eng grpcweb wrapper sends) or in the HTTP headers (trailers-only), a plain HTTP
// status, a 404/200 HTML page (not Parca), a cut-off body, a body that stops mid-frame, no trailers, a data
// frame that is not protobuf, and a slow server that never answers (connections are tracked to prove the
// client hangs up).
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  decodeProfileTypesRequest,
  decodeQueryRequest,
  encodeProfileTypesResponse,
  encodeQueryResponse,
  msOfTimestamp,
  type ParcaProfileType,
} from '../../src/sources/agents/parca/parcaProtocol';

export type FakeParcaMode =
  | { kind: 'ok' }
  | { kind: 'grpc-error'; code: number; message: string; place: 'body' | 'headers' }
  | { kind: 'http-status'; status: number; body?: string }
  | { kind: 'html'; status: 200 | 404 }
  | { kind: 'cut-off' } // Content-Length promises more than is sent, then the socket closes
  | { kind: 'mid-frame' } // complete HTTP answer whose body stops inside the data frame
  | { kind: 'no-trailers' }
  | { kind: 'garbage-message' }
  | { kind: 'slow' }; // never answers

export interface FakeParcaRequest {
  protocol: 'grpc-web' | 'grpc' | 'other';
  method: string;
  path: string;
  contentType: string;
  xGrpcWeb?: string;
  grpcTimeout?: string;
  authorization?: string;
  /** Decoded Query request. */
  query?: string;
  mode?: number;
  reportType?: number;
  startMs?: number;
  endMs?: number;
}

export interface FakeParcaOptions {
  /** The pprof bytes (gzipped, as Parca serializes them) answered for a matching query. */
  profile: Uint8Array;
  /** Label sets of the series holding that profile. */
  series: Array<Record<string, string>>;
  /** Types ProfileTypes lists and Query accepts (default: parca-agent's on-CPU and off-CPU types). */
  profileTypes?: ParcaProfileType[];
  /** Serve under this prefix (Parca's --path-prefix), e.g. /parca. */
  pathPrefix?: string;
  /** When set, calls need "authorization: Bearer <token>" (as a gateway or Polar Signals Cloud would). */
  token?: string;
}

export const parcaAgentTypes: ParcaProfileType[] = [
  { name: 'parca_agent', sample_type: 'samples', sample_unit: 'count', period_type: 'cpu', period_unit: 'nanoseconds', delta: true },
  { name: 'parca_agent', sample_type: 'wallclock', sample_unit: 'nanoseconds', period_type: 'samples', period_unit: 'count', delta: true },
];

const service = '/parca.query.v1alpha1.QueryService/';

/** [flags][uint32 BE length][payload], built here without the client's helpers. */
function frame(flags: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, Buffer.from(payload)]);
}

/**
 * grpc-message's encoding per the gRPC HTTP/2 spec: UTF-8 bytes outside 0x20-0x7E, and '%', as %XX; the
 * rest as is. (encodeURIComponent would also escape ':' and ' ', which grpc-js then leaves undecoded: its
 * test below caught exactly that.)
 */
function grpcMessageEncode(message: string): string {
  let out = '';
  for (const b of Buffer.from(message, 'utf8')) out += b < 0x20 || b > 0x7e || b === 0x25 ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

function trailerFrame(code: number, message: string): Buffer {
  // Canonical header case, as Go's http.Header.Write produces in improbable-eng's grpcweb.
  return frame(0x80, Buffer.from(`Grpc-Message: ${grpcMessageEncode(message)}\r\nGrpc-Status: ${code}\r\n`, 'latin1'));
}

/** The one request message of a gRPC body, or undefined if the body is not exactly one uncompressed frame. */
function requestMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5 || body[0] !== 0) return undefined;
  const len = body.readUInt32BE(1);
  return body.length === 5 + len ? body.subarray(5) : undefined;
}

// ---- a small selector reader of our own: type{name op "value", ...} --------------------------------

interface Matcher {
  name: string;
  op: string;
  value: string;
}

function parseQuery(q: string): { type: string; matchers: Matcher[] } | undefined {
  const brace = q.indexOf('{');
  if (brace <= 0 || !q.endsWith('}')) return undefined;
  const type = q.slice(0, brace);
  const body = q.slice(brace + 1, -1);
  const re = /\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  const matchers: Matcher[] = [];
  while (re.lastIndex < body.length) {
    const m = re.exec(body);
    if (!m) return undefined;
    let value: string;
    try {
      value = JSON.parse(`"${m[3].replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')}"`);
    } catch {
      return undefined;
    }
    matchers.push({ name: m[1], op: m[2], value });
    if (m[4] === '') break;
  }
  return { type, matchers };
}

function matches(series: Record<string, string>, ms: Matcher[]): boolean {
  return ms.every((m) => {
    const v = series[m.name] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(v);
      default:
        return !new RegExp(`^(?:${m.value})$`).test(v);
    }
  });
}

/** A pprof with a samples/count sample type and no samples (string table "", "samples", "count"), gzipped. */
export function emptyPprof(): Buffer {
  const strings = ['', 'samples', 'count'].map((s) => Buffer.concat([Buffer.from([0x32, s.length]), Buffer.from(s)]));
  return gzipSync(Buffer.concat([Buffer.from([0x0a, 4, 0x08, 1, 0x10, 2]), ...strings]));
}

/** A stream that yields `first` then everything `socket` receives, and writes to `socket`. */
function replayingDuplex(socket: net.Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      socket.write(chunk, cb);
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  d.push(first);
  socket.on('data', (c: Buffer) => {
    if (!d.push(c)) socket.pause();
  });
  socket.on('end', () => d.push(null));
  socket.on('close', () => d.destroy());
  socket.on('error', () => undefined);
  return d;
}

type Outcome = { code: number; message: string } | { message: Buffer };

export class FakeParca {
  readonly requests: FakeParcaRequest[] = [];
  mode: FakeParcaMode = { kind: 'ok' };
  /** Limit `mode` to one method ("Query", "ProfileTypes"); others answer normally. */
  modeMethod: string | undefined;
  /** Sockets currently open (the slow mode's test checks the client closed its own). */
  openSockets = 0;
  /** Bearer token required (see FakeParcaOptions.token); settable between tests. */
  token: string | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
    private readonly options: FakeParcaOptions,
  ) {
    this.token = options.token;
  }

  static async start(options: FakeParcaOptions): Promise<FakeParca> {
    let self: FakeParca | undefined;
    const h1 = http.createServer((req, res) => self!.handleHttp1(req, res));
    const h2 = http2.createServer();
    h2.on('stream', (stream, headers) => self!.handleHttp2(stream, headers));
    // One port for both, told apart by the HTTP/2 connection preface.
    const server = net.createServer((socket) => {
      self!.sockets.add(socket);
      self!.openSockets++;
      socket.on('close', () => {
        self!.sockets.delete(socket);
        self!.openSockets--;
      });
      socket.once('data', (first) => {
        socket.pause();
        if (first.subarray(0, 3).toString('latin1') === 'PRI') {
          // http2 reads sockets natively and would miss unshifted bytes: hand it a JS stream instead.
          h2.emit('connection', replayingDuplex(socket, first));
        } else {
          socket.unshift(first);
          h1.emit('connection', socket);
          socket.resume();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    self = new FakeParca(server, `http://127.0.0.1:${port}${options.pathPrefix ?? ''}`, options);
    return self;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private modeFor(method: string): FakeParcaMode {
    return this.modeMethod === undefined || this.modeMethod === method ? this.mode : { kind: 'ok' };
  }

  /** Runs a call: the answer message or a gRPC status. */
  private call(method: string, message: Buffer, authorization: string | undefined, rec: FakeParcaRequest): Outcome {
    if (this.token !== undefined && authorization !== `Bearer ${this.token}`) {
      // Echoes what it got, as careless servers do: the client must scrub it.
      return { code: 16, message: `invalid credentials: authorization=${authorization ?? '(none)'}` };
    }
    if (method === 'ProfileTypes') {
      decodeProfileTypesRequest(message);
      return { message: encodeProfileTypesResponse({ types: this.options.profileTypes ?? parcaAgentTypes }) };
    }
    if (method === 'Query') {
      const q = decodeQueryRequest(message);
      rec.query = q.merge?.query;
      rec.mode = Number(q.mode ?? 0);
      rec.reportType = Number(q.report_type ?? 0);
      rec.startMs = msOfTimestamp(q.merge?.start);
      rec.endMs = msOfTimestamp(q.merge?.end);
      if (rec.mode !== 2 || !q.merge) return { code: 3, message: 'unknown query mode' };
      if (rec.reportType !== 1) return { code: 3, message: 'requested report type does not exist' };
      const parsed = parseQuery(q.merge.query ?? '');
      if (!parsed) return { code: 3, message: 'failed to parse query' };
      if (parsed.type.split(':').length < 5) return { code: 3, message: 'query must contain a profile-type selection' };
      const types = (this.options.profileTypes ?? parcaAgentTypes).map(
        (t) => `${t.name}:${t.sample_type}:${t.sample_unit}:${t.period_type}:${t.period_unit}${t.delta ? ':delta' : ''}`,
      );
      const hit = types.includes(parsed.type) && this.options.series.some((s) => matches(s, parsed.matchers));
      return { message: encodeQueryResponse({ pprof: hit ? this.options.profile : emptyPprof() }) };
    }
    return { code: 12, message: `unknown method ${method} for service parca.query.v1alpha1.QueryService` };
  }

  // ---- gRPC-Web over HTTP/1.1 --------------------------------------------------------------------------

  private handleHttp1(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.answerHttp1(req, res, Buffer.concat(chunks)));
  }

  private answerHttp1(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const contentType = String(req.headers['content-type'] ?? '');
    const prefix = this.options.pathPrefix ?? '';
    const path = (req.url ?? '').split('?')[0];
    const rec: FakeParcaRequest = {
      protocol: contentType.startsWith('application/grpc-web') ? 'grpc-web' : 'other',
      method: req.method ?? '',
      path,
      contentType,
      xGrpcWeb: req.headers['x-grpc-web'] as string | undefined,
      grpcTimeout: req.headers['grpc-timeout'] as string | undefined,
      authorization: req.headers.authorization,
    };
    this.requests.push(rec);
    const rpc = path.startsWith(prefix + service) ? path.slice(prefix.length + service.length) : undefined;
    // Like Parca: only POSTs with a gRPC content type reach the gRPC handler; the rest is the UI's router.
    if (rec.protocol !== 'grpc-web' || req.method !== 'POST' || rpc === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const mode = this.modeFor(rpc);
    if (mode.kind === 'slow') return; // never answers
    if (mode.kind === 'http-status') {
      res.writeHead(mode.status, { 'content-type': 'text/plain' }).end(mode.body ?? `${mode.status} ${http.STATUS_CODES[mode.status]}\n`);
      return;
    }
    if (mode.kind === 'html') {
      res.writeHead(mode.status, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><head><title>Not Parca</title></head><body>nginx</body></html>');
      return;
    }
    const msg = requestMessage(body);
    const grpcWebHeaders = { 'content-type': 'application/grpc-web+proto', 'access-control-expose-headers': 'Grpc-Status, Grpc-Message' };
    if (!msg) {
      res.writeHead(200, { ...grpcWebHeaders }).end(trailerFrame(13, 'grpc: error while reading the request frame'));
      return;
    }
    let outcome: Outcome;
    try {
      outcome = this.call(rpc, msg, req.headers.authorization, rec);
    } catch (e) {
      outcome = { code: 13, message: `grpc: error unmarshalling request: ${(e as Error).message}` };
    }
    if (mode.kind === 'grpc-error') outcome = { code: mode.code, message: mode.message };
    if ('code' in outcome) {
      if (mode.kind === 'grpc-error' && mode.place === 'headers') {
        res.writeHead(200, { ...grpcWebHeaders, 'grpc-status': String(outcome.code), 'grpc-message': grpcMessageEncode(outcome.message) }).end();
      } else res.writeHead(200, grpcWebHeaders).end(trailerFrame(outcome.code, outcome.message));
      return;
    }
    const data = mode.kind === 'garbage-message' ? frame(0, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])) : frame(0, outcome.message);
    const full = Buffer.concat([data, trailerFrame(0, '')]);
    switch (mode.kind) {
      case 'cut-off':
        res.writeHead(200, { ...grpcWebHeaders, 'content-length': String(full.length) });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
        return;
      case 'mid-frame':
        res.writeHead(200, grpcWebHeaders).end(data.subarray(0, Math.max(6, Math.floor(data.length / 2))));
        return;
      case 'no-trailers':
        res.writeHead(200, grpcWebHeaders).end(data);
        return;
      default:
        res.writeHead(200, grpcWebHeaders).end(full);
    }
  }

  // ---- native gRPC over HTTP/2 ------------------------------------------------------------------------

  private handleHttp2(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const path = String(headers[':path'] ?? '');
    const contentType = String(headers['content-type'] ?? '');
    const rec: FakeParcaRequest = { protocol: 'grpc', method: String(headers[':method']), path, contentType, authorization: headers.authorization };
    this.requests.push(rec);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const prefix = this.options.pathPrefix ?? '';
      const rpc = path.startsWith(prefix + service) ? path.slice(prefix.length + service.length) : '';
      const msg = requestMessage(Buffer.concat(chunks));
      let outcome: Outcome;
      if (!contentType.startsWith('application/grpc')) outcome = { code: 13, message: 'not a gRPC request' };
      else if (!msg) outcome = { code: 13, message: 'grpc: error while reading the request frame' };
      else {
        try {
          outcome = this.call(rpc, msg, headers.authorization, rec);
        } catch (e) {
          outcome = { code: 13, message: (e as Error).message };
        }
      }
      const mode = this.modeFor(rpc);
      if (mode.kind === 'grpc-error') outcome = { code: mode.code, message: mode.message };
      if ('code' in outcome) {
        // Trailers-only, as grpc-go answers errors.
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(outcome.code), 'grpc-message': grpcMessageEncode(outcome.message) }, { endStream: true });
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
      stream.end(frame(0, outcome.message));
    });
  }
}
