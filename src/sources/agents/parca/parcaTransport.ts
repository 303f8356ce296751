// How a gRPC-Web POST reaches Parca. The client (parcaAgent.ts) only needs a UnaryPost: send these bytes to
// this path with these headers, give back status, headers and body. Two implementations: straight to a URL
// (a port-forward, an ingress, Polar Signals Cloud) with node http/https, and through the Kubernetes API
// server's service proxy with the kubeconfig's credentials (an in-cluster Parca with no exposed address).
// Both reject with ParcaErrors for transport failures (unreachable, cut off, too large, cancelled).
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { proxyRequest } from '../../cluster/apiProxy';
import { parseStatus, redactSecrets } from '../../cluster/clusterErrors';
import { scrub, storeErrorFromCluster } from '../storeErrors';
import { ParcaError } from './parcaErrors';

export interface UnaryAnswer {
  status: number;
  /** Response headers, lower-cased names (as node gives them). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface UnaryPostOptions {
  /** Must make the promise reject promptly (ParcaError 'cancelled') when it fires. */
  signal?: AbortSignal;
  /** Transport-level deadline; the client also runs its own. */
  timeoutMs?: number;
  /** Largest 2xx body accepted (ParcaError 'bad-response' beyond). */
  maxBytes?: number;
}

/** POSTs `body` to `path` (e.g. /parca.query.v1alpha1.QueryService/Query, appended to the base) and resolves for any HTTP status. */
export type UnaryPost = (path: string, body: Uint8Array, headers: Record<string, string>, options?: UnaryPostOptions) => Promise<UnaryAnswer>;

/** A transport plus the words messages use for it. */
export interface ParcaEndpoint {
  post: UnaryPost;
  /** "Parca at http://127.0.0.1:7070", "Parca service monitoring/parca:7070 (through the API server https://...)". */
  where: string;
  /** Whether an Authorization header of ours can reach Parca (false through the API server, which drops it). */
  forwardsAuthorization: boolean;
}

const defaultTimeoutMs = 30_000;
export const defaultParcaMaxBytes = 64 * 1024 * 1024;
/** Error bodies are read only this far. */
const errorBodyBytes = 64 * 1024;

// ---- direct URL ---------------------------------------------------------------------------------------

export interface DirectParcaOptions {
  /** http(s)://host:port[/path-prefix] of Parca's HTTP port (default 7070). */
  url: string;
  /** PEM of an extra CA to trust (self-signed in-house servers). */
  caPem?: string;
  /** Setting name for messages. */
  settingName?: string;
}

export function directParcaEndpoint(options: DirectParcaOptions): ParcaEndpoint {
  const setting = options.settingName ?? 'podProfiler.parca.url';
  const raw = (options.url ?? '').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ParcaError('bad-input', `"${raw.slice(0, 100)}" is not a URL. Set ${setting} to Parca's address, e.g. http://127.0.0.1:7070.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ParcaError('bad-input', `The Parca URL must start with http:// or https:// (got ${url.protocol}).`);
  if (url.username || url.password) {
    throw new ParcaError('bad-input', `The Parca URL must not hold credentials (user:password@). Remove them from ${setting} and store a token with "Pod Profiler: Set Parca Token".`);
  }
  if (url.search || url.hash) throw new ParcaError('bad-input', `The Parca URL must not have a query or fragment: use the server's base address (${setting}).`);
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  const where = `Parca at ${base}`;
  const secure = url.protocol === 'https:';
  const prefix = url.pathname.replace(/\/+$/, '');

  const post: UnaryPost = (path, body, headers, call = {}) =>
    new Promise<UnaryAnswer>((resolve, reject) => {
      const secrets = Object.entries(headers)
        .filter(([k]) => k.toLowerCase() === 'authorization')
        .flatMap(([, v]) => [v, v.replace(/^\w+\s+/, '')]);
      if (call.signal?.aborted) {
        reject(new ParcaError('cancelled', 'Parca query cancelled.'));
        return;
      }
      for (const v of Object.values(headers)) {
        if (/[\r\n]/.test(v)) {
          reject(new ParcaError('bad-input', 'A header for Parca contains a line break (the stored token?); set it again.'));
          return;
        }
      }
      const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
      const maxBytes = call.maxBytes ?? defaultParcaMaxBytes;
      let settled = false;
      let gotHeaders = false;
      const finish = (err: ParcaError | undefined, value?: UnaryAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value!);
      };
      const onAbort = () => finish(new ParcaError('cancelled', 'Parca query cancelled.'));
      const method = path.split('/').pop();
      const timer = setTimeout(
        () =>
          finish(
            new ParcaError(
              'timeout',
              `${where} did not answer ${method} within ${formatSeconds(timeoutMs)}. It may be overloaded, or the address leads nowhere ` +
                `(a firewall dropping packets); check ${setting} and try again, or with a shorter window.`,
            ),
          ),
        timeoutMs,
      );
      call.signal?.addEventListener('abort', onAbort, { once: true });
      const reqOpts: https.RequestOptions = {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (secure ? 443 : 80),
        path: prefix + path,
        headers: { ...headers, 'User-Agent': 'pod-profiler-vscode', 'Content-Length': String(body.byteLength) },
        ...(secure && options.caPem ? { ca: options.caPem } : {}),
      };
      const req = (secure ? https : http).request(reqOpts, (res) => {
        gotHeaders = true;
        readCapped(res, maxBytes, where, finish);
      });
      req.on('error', (e: NodeJS.ErrnoException) => finish(gotHeaders ? cutOff(where, 0) : fromSocketError(where, setting, e, secrets)));
      req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    });
  return { post, where, forwardsAuthorization: true };
}

function readCapped(res: http.IncomingMessage, maxBytes: number, where: string, finish: (err: ParcaError | undefined, value?: UnaryAnswer) => void): void {
  const status = res.statusCode ?? 0;
  const ok = status >= 200 && status < 300;
  const cap = ok ? maxBytes : errorBodyBytes;
  const declared = Number(res.headers['content-length']);
  if (ok && Number.isFinite(declared) && declared > maxBytes) {
    finish(tooLarge(where, maxBytes));
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
      if (ok) finish(tooLarge(where, maxBytes));
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
      finish(cutOff(where, size, Number.isFinite(declared) ? declared : undefined));
    }
  });
  res.on('end', () => {
    if (done) return;
    done = true;
    finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) });
  });
}

function cutOff(where: string, got: number, declared?: number): ParcaError {
  return new ParcaError(
    'bad-response',
    `${where} broke off its answer after ${got} bytes${declared !== undefined ? ` of ${declared}` : ''}: the connection closed early. ` +
      `A proxy in between may limit response size or time; try again or a shorter window.`,
  );
}

function tooLarge(where: string, maxBytes: number): ParcaError {
  return new ParcaError(
    'bad-response',
    `The answer from ${where} is larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB limit; choose a shorter window or raise ` +
      `the setting podProfiler.maxProfileMegabytes.`,
  );
}

const refusedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function fromSocketError(where: string, setting: string, e: NodeJS.ErrnoException, secrets: readonly string[]): ParcaError {
  const code = e?.code ?? '';
  const text = scrub(String(e?.message ?? e), secrets);
  if (refusedCodes.has(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host name not found' : 'no route to host';
    return new ParcaError(
      'unreachable',
      `Cannot reach ${where} (${why}). Check ${setting}, that Parca runs, and for a port-forward (kubectl port-forward svc/parca 7070) ` +
        `that it is still open; or clear the URL to go through the Kubernetes API server's service proxy.`,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ParcaError('unreachable', `${where} closed the connection before answering. Is that Parca's HTTP port (default 7070) and does it speak ${where.includes('https:') ? 'TLS' : 'plain HTTP'}?`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ALTNAME|SSL|EPROTO/i.test(code) || /certificate|wrong version number/i.test(text)) {
    return new ParcaError('unreachable', `TLS with ${where} failed (${code || text}). Check http:// versus https:// in ${setting} and the server's certificate.`);
  }
  return new ParcaError('unreachable', `Request to ${where} failed: ${text}`);
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`;
}

// ---- Kubernetes API server service proxy -----------------------------------------------------------------

export interface ParcaServiceRef {
  namespace: string;
  name: string;
  /** Service port number or name. */
  port: number | string;
  /** 'https' when the service port speaks TLS. */
  scheme?: 'http' | 'https';
}

export const defaultParcaService = 'parca/parca:7070';

/** Reads "[https:]namespace/name:port". Throws ParcaError 'bad-input'. */
export function parseParcaServiceRef(text: string, settingName = 'podProfiler.parca.service'): ParcaServiceRef {
  const m = text.trim().match(/^(?:(https?):)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/);
  if (!m) {
    throw new ParcaError('bad-input', `"${text.slice(0, 100)}" is not a service reference: write namespace/name:port, e.g. ${defaultParcaService} (setting ${settingName}).`);
  }
  return { namespace: m[2], name: m[4], port: /^\d+$/.test(m[6]) ? Number(m[6]) : m[6], scheme: m[1] as 'http' | 'https' | undefined };
}

/**
 * Through `/api/v1/namespaces/NS/services/NAME:PORT/proxy/parca.query.v1alpha1.QueryService/...` (POST, RBAC
 * verb "create" on services/proxy). Our Authorization header cannot pass: kubeRequest sends the kubeconfig's
 * and the API server does not forward it. Limitation: proxyRequest gives back only the content type of the
 * answer, so a trailers-only error (grpc-status in HTTP headers) is seen as an answer without a status.
 */
export function serviceProxyParcaEndpoint(kc: KubeConfig, service: ParcaServiceRef): ParcaEndpoint {
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const svc = `${service.namespace}/${service.name}:${service.port}`;
  const where = `Parca service ${svc} (through the API server ${server})`;
  const post: UnaryPost = async (path, body, headers, call = {}) => {
    let res;
    try {
      res = await proxyRequest(
        kc,
        { kind: 'services', namespace: service.namespace, name: service.name, port: service.port, scheme: service.scheme, path },
        {
          method: 'POST',
          body,
          headers,
          accept: headers.Accept ?? headers.accept ?? '*/*',
          signal: call.signal,
          timeoutMs: call.timeoutMs ?? defaultTimeoutMs,
          maxBytes: call.maxBytes ?? defaultParcaMaxBytes,
          anyStatus: true,
          reportCutOff: true,
        },
      );
    } catch (e) {
      throw storeErrorFromCluster(where, e, 'Parca', (kind, message, status) => new ParcaError(kind, message, status));
    }
    // A meta/v1 Status is the API server's own answer (no such service, no endpoints, RBAC, login).
    if (res.status >= 300) {
      const st = parseStatus(res.body);
      if (st) throw fromApiServerStatus(where, svc, res.status, st.message ?? '');
    }
    return { status: res.status, headers: { 'content-type': res.contentType }, body: res.body };
  };
  return { post, where, forwardsAuthorization: false };
}

function fromApiServerStatus(where: string, svc: string, status: number, message: string): ParcaError {
  const said = message ? ` The API server said: "${redactSecrets(message).slice(0, 300)}".` : '';
  if (status === 401) return new ParcaError('unauthenticated', `The API server rejected the kubeconfig's credentials (401) for ${where}.${said} Log in to the cluster again (e.g. refresh the token).`, status);
  if (status === 403) {
    return new ParcaError(
      'forbidden',
      `Kubernetes RBAC does not allow "create" on services/proxy for ${svc} (403), which reaching Parca through the API server needs.${said} ` +
        `Ask for that permission, or set podProfiler.parca.url to a port-forward of Parca.`,
      status,
    );
  }
  if (status === 404) {
    return new ParcaError('not-found', `There is no service ${svc} (404).${said} Set podProfiler.parca.service to Parca's service as namespace/name:port (default ${defaultParcaService}).`, status);
  }
  if (status === 503 || status === 502) {
    return new ParcaError('unreachable', `The API server could not reach service ${svc} (${status}): no ready Parca pod behind it?${said}`, status);
  }
  if (status === 504 || status === 408) return new ParcaError('timeout', `${where} timed out (${status}).${said}`, status);
  return new ParcaError('bad-response', `Unexpected answer ${status} from the API server for ${where}.${said}`, status);
}
