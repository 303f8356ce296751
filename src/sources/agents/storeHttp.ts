// One POST to a profile store (Pyroscope, Parca) straight at its URL, with node http/https: the URL checks,
// deadline, cancellation, response size cap and the wording of transport failures are the same for both
// stores; only the store's name, setting, default port and error class differ (StoreHttpSpec).
import * as http from 'node:http';
import * as https from 'node:https';
import { scrub, type StoreErrorKind } from './storeErrors';

export interface StoreHttpSpec<E> {
  /** "Pyroscope", "Parca". */
  readonly store: string;
  /** The setting that holds the URL ("podProfiler.parca.url"), named in hints. */
  readonly setting: string;
  /** The store's usual HTTP port, named when something else answered. */
  readonly defaultPort: number;
  /** The command that stores credentials, named when the URL carries user:password@. */
  readonly credentialsCommand: string;
  make(kind: StoreErrorKind, message: string): E;
}

export interface StoreUrl {
  readonly url: URL;
  /** scheme://host:port/prefix without a trailing slash. */
  readonly base: string;
  /** "Parca at http://127.0.0.1:7070". */
  readonly where: string;
}

/** Checks and normalises a store URL from a setting; throws the store's 'bad-input' error. */
export function parseStoreUrl<E>(raw: string, spec: StoreHttpSpec<E>): StoreUrl {
  const text = (raw ?? '').trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw spec.make('bad-input', `"${text.slice(0, 100)}" is not a URL. Set ${spec.setting} to ${spec.store}'s address, e.g. http://127.0.0.1:${spec.defaultPort}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw spec.make('bad-input', `The ${spec.store} URL must start with http:// or https:// (got ${url.protocol}).`);
  if (url.username || url.password) {
    throw spec.make('bad-input', `The ${spec.store} URL must not hold credentials (user:password@). Remove them from ${spec.setting} and run "${spec.credentialsCommand}".`);
  }
  if (url.search || url.hash) throw spec.make('bad-input', `The ${spec.store} URL must not have a query or fragment: use the server's base address (${spec.setting}).`);
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return { url, base, where: `${spec.store} at ${base}` };
}

export interface StorePostRequest {
  /** Appended to the URL's path prefix, e.g. /querier.v1.QuerierService/SelectMergeProfile. */
  readonly path: string;
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Largest 2xx body accepted; error bodies are read up to 64 KiB. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** PEM of an extra CA to trust. */
  readonly caPem?: string;
  /** Strings to scrub from socket error texts (the Authorization value and its parts). */
  readonly secrets: readonly string[];
}

export interface StoreAnswer {
  readonly status: number;
  /** Lower-cased names, as node gives them. */
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

const errorBodyBytes = 64 * 1024;

/** POSTs and resolves for any HTTP status; rejects with the store's error for transport failures. */
export function postToStore<E>(target: StoreUrl, req: StorePostRequest, spec: StoreHttpSpec<E>): Promise<StoreAnswer> {
  const { url, where } = target;
  const secure = url.protocol === 'https:';
  return new Promise<StoreAnswer>((resolve, reject) => {
    const cancelled = () => spec.make('cancelled', `${spec.store} query cancelled.`);
    if (req.signal?.aborted) {
      reject(cancelled());
      return;
    }
    for (const v of Object.values(req.headers)) {
      if (/[\r\n]/.test(v)) {
        reject(spec.make('bad-input', `A header for ${spec.store} contains a line break (the stored credentials?); set them again.`));
        return;
      }
    }
    let settled = false;
    let gotHeaders = false;
    const finish = (err: E | undefined, value?: StoreAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (err) {
        request.destroy();
        reject(err);
      } else resolve(value!);
    };
    const onAbort = () => finish(cancelled());
    const timer = setTimeout(
      () =>
        finish(
          spec.make(
            'timeout',
            `${where} did not answer ${req.path.split('/').pop()} within ${secondsText(req.timeoutMs)}. It may be overloaded, or the address leads ` +
              `nowhere (a firewall dropping packets); check ${spec.setting} and try again, or with a shorter window.`,
          ),
        ),
      req.timeoutMs,
    );
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const options: https.RequestOptions = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      path: target.base.slice(`${url.protocol}//${url.host}`.length) + req.path,
      headers: { ...req.headers, 'User-Agent': 'pod-profiler-vscode', 'Content-Length': String(req.body.byteLength) },
      ...(secure && req.caPem ? { ca: req.caPem } : {}),
    };
    const request = (secure ? https : http).request(options, (res) => {
      gotHeaders = true;
      readCapped(res, req.maxBytes, where, spec, finish);
    });
    request.on('error', (e: NodeJS.ErrnoException) => finish(gotHeaders ? cutOff(where, 0, undefined, spec) : fromSocketError(where, e, req.secrets, spec)));
    request.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
  });
}

/** Reads a response with the byte cap; a body that stops early is a cut-off answer. */
function readCapped<E>(res: http.IncomingMessage, maxBytes: number, where: string, spec: StoreHttpSpec<E>, finish: (err: E | undefined, value?: StoreAnswer) => void): void {
  const status = res.statusCode ?? 0;
  const ok = status >= 200 && status < 300;
  const cap = ok ? maxBytes : errorBodyBytes;
  const declared = Number(res.headers['content-length']);
  if (ok && Number.isFinite(declared) && declared > maxBytes) {
    finish(tooLarge(where, maxBytes, spec));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  res.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > cap) {
      done = true;
      if (ok) finish(tooLarge(where, maxBytes, spec));
      else finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) });
      res.destroy();
      return;
    }
    chunks.push(chunk);
  });
  res.on('error', () => undefined); // 'close' reports it
  res.on('close', () => {
    if (!done && !res.complete) {
      done = true;
      finish(cutOff(where, size, Number.isFinite(declared) ? declared : undefined, spec));
    }
  });
  res.on('end', () => {
    if (done) return;
    done = true;
    finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) });
  });
}

function cutOff<E>(where: string, got: number, declared: number | undefined, spec: StoreHttpSpec<E>): E {
  return spec.make(
    'bad-response',
    `${where} broke off its answer after ${got} bytes${declared !== undefined ? ` of ${declared}` : ''}: the connection closed early. ` +
      `A proxy in between may limit response size or time; try again or a shorter window.`,
  );
}

function tooLarge<E>(where: string, maxBytes: number, spec: StoreHttpSpec<E>): E {
  return spec.make(
    'bad-response',
    `The answer from ${where} is larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB limit; choose a shorter window or raise ` +
      `the setting podProfiler.maxProfileMegabytes.`,
  );
}

const refusedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function fromSocketError<E>(where: string, e: NodeJS.ErrnoException, secrets: readonly string[], spec: StoreHttpSpec<E>): E {
  const code = e?.code ?? '';
  const text = scrub(String(e?.message ?? e), secrets);
  if (refusedCodes.has(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host name not found' : 'no route to host';
    return spec.make(
      'unreachable',
      `Cannot reach ${where} (${why}). Check ${spec.setting}, that ${spec.store} runs, and for a port-forward that it is still open; ` +
        `or clear the URL to go through the Kubernetes API server's service proxy.`,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return spec.make(
      'unreachable',
      `${where} closed the connection before answering. Is that ${spec.store}'s HTTP port (default ${spec.defaultPort}) and does it speak ${where.includes('https:') ? 'TLS' : 'plain HTTP'}?`,
    );
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ALTNAME|SSL|EPROTO/i.test(code) || /certificate|wrong version number/i.test(text)) {
    return spec.make('unreachable', `TLS with ${where} failed (${code || text}). Check http:// versus https:// in ${spec.setting} and the server's certificate.`);
  }
  return spec.make('unreachable', `Request to ${where} failed: ${text}`);
}

/** "2.5 s", "30 s": deadlines as messages say them. */
export function secondsText(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`;
}
