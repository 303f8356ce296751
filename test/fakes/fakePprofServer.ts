// Stand-in for a Go service's net/http/pprof server (the upstream behind the fake API server's pod proxy):
// /debug/pprof/profile?seconds=N waits N seconds (scaled for tests) and answers a recorded pprof file the way
// Go does (chunked, application/octet-stream, Content-Disposition). Without a file it is a Go server that
// never imported net/http/pprof: every path is "404 page not found".
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type PprofServerMode = 'normal' | 'hang' | 'reset' | 'busy';

export interface FakePprofServerOptions {
  /** Bytes of the recorded profile to serve; undefined = no pprof handler (404s). */
  profile?: Uint8Array;
  /** Milliseconds waited per requested second. Default 1000 (real time); tests use less. */
  msPerSecond?: number;
}

export interface PprofRequestLog {
  path: string;
  seconds?: number;
}

export class FakePprofServer {
  mode: PprofServerMode = 'normal';
  readonly requests: PprofRequestLog[] = [];
  /** Requests not yet answered or abandoned (a cancelled proxy request must bring this back to 0). */
  active = 0;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakePprofServerOptions,
  ) {
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(options: FakePprofServerOptions = {}): Promise<FakePprofServer> {
    let self: FakePprofServer | undefined;
    const server = http.createServer((req, res) => self!.handle(req, res));
    self = new FakePprofServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://pod');
    const secondsParam = url.searchParams.get('seconds');
    this.requests.push({ path: url.pathname + url.search, seconds: secondsParam === null ? undefined : Number(secondsParam) });
    this.active += 1;
    res.on('close', () => (this.active -= 1));
    if (this.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (this.mode === 'hang') return; // never answers; closed by close()
    if (!this.options.profile || url.pathname !== '/debug/pprof/profile') {
      // Go's http.NotFound
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('404 page not found\n');
      return;
    }
    if (this.mode === 'busy') {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('Could not enable CPU profiling: cpu profiling already in use\n');
      return;
    }
    const seconds = secondsParam === null ? 30 : Number(secondsParam);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('bad seconds\n');
      return;
    }
    const profile = this.options.profile;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // net/http/pprof sets these, then streams the gzipped profile (no Content-Length: chunked).
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': 'attachment; filename="profile"',
        'X-Content-Type-Options': 'nosniff',
      });
      const half = Math.floor(profile.length / 2);
      res.write(profile.subarray(0, half));
      res.end(profile.subarray(half));
    }, seconds * (this.options.msPerSecond ?? 1000));
    this.timers.add(timer);
    // res 'close' (not req 'close', which fires once the request is read): the caller went away or we answered.
    res.on('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
