// One request to the Kubernetes API server with the kubeconfig's TLS and credentials, a byte cap, an overall
// deadline and AbortSignal cancellation. GET for lists (JSON) and the pod/service proxy (binary); POST for
// RPC-style services reached through the service proxy (e.g. Pyroscope's Connect API).
// Plain https.request rather than the generated client: it keeps binary bodies intact, leaves query
// strings of proxied paths alone, and lets us stop reading at the cap.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterError,
  errorFromCredentials,
  errorFromResponse,
  errorFromTransport,
  type RequestDescription,
} from './clusterErrors';

export interface KubeGetOptions {
  signal?: AbortSignal;
  /** Deadline for the whole exchange, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Largest body accepted. Default 32 MiB. */
  maxBytes?: number;
  /** Accept header. Default application/json. */
  accept?: string;
}

export interface KubeRequestOptions extends KubeGetOptions {
  /** Default GET. */
  method?: 'GET' | 'POST';
  /** Request body (POST). Sent with a Content-Length. */
  body?: Uint8Array;
  /**
   * Extra request headers (e.g. Content-Type, X-Scope-OrgID). They cannot replace the kubeconfig's
   * Authorization: an `authorization` key here is dropped (the API server would strip it before proxying anyway).
   */
  headers?: Record<string, string>;
  /**
   * Resolve with the response for any HTTP status instead of throwing a ClusterError for non-2xx, so the
   * caller can read an upstream's own error body (error bodies are still read only up to 64 KiB).
   */
  anyStatus?: boolean;
  /**
   * Report a body that stops before it is complete (the connection closed after the headers) as a
   * 'bad-response' ClusterError saying the answer was cut off, instead of 'unreachable'.
   */
  reportCutOff?: boolean;
}

export interface KubeResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/** What the request is for (verb/resource/namespace/name...), used in error messages. */
export type RequestPurpose = Omit<RequestDescription, 'server' | 'path'>;

const defaultTimeoutMs = 30_000;
const defaultMaxBytes = 32 * 1024 * 1024;
/** Error bodies are read only this far (Status objects are small). */
const errorBodyBytes = 64 * 1024;

/** Base URL of the current context's API server, or a 'config' ClusterError. */
export function serverUrl(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new ClusterError('config', `The kube context "${kc.getCurrentContext()}" has no cluster with a server URL in your kubeconfig.`);
  }
  return cluster.server.replace(/\/+$/, '');
}

/** Sends GET `path` (which must start with '/') to the current context's API server. */
export async function kubeGet(kc: KubeConfig, path: string, purpose: RequestPurpose, options: KubeGetOptions = {}): Promise<KubeResponse> {
  return kubeRequest(kc, path, purpose, { ...options, method: 'GET', body: undefined, headers: undefined, anyStatus: false, reportCutOff: false });
}

/** Sends `options.method` (default GET) `path` to the current context's API server; see KubeRequestOptions. */
export async function kubeRequest(kc: KubeConfig, path: string, purpose: RequestPurpose, options: KubeRequestOptions = {}): Promise<KubeResponse> {
  const server = serverUrl(kc);
  const d: RequestDescription = { ...purpose, server, path };
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  if (signal?.aborted) throw cancelled(d);

  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new ClusterError('config', `The server URL "${server}" of kube context "${kc.getCurrentContext()}" is not a valid URL.`);
  }
  const secure = base.protocol === 'https:';
  if (!secure && base.protocol !== 'http:') {
    throw new ClusterError('config', `The server URL "${server}" must start with https:// (or http:// for a local \`kubectl proxy\`).`);
  }

  const reqOpts: https.RequestOptions = { headers: {} };
  const secrets: string[] = [];
  const user = kc.getCurrentUser();
  if (user?.token) secrets.push(user.token);
  if (user?.password) secrets.push(user.password);
  if (secure) {
    // Credentials only over TLS, as kubectl does; a plain-http server is a local `kubectl proxy` that adds its own.
    try {
      await kc.applyToHTTPSOptions(reqOpts);
    } catch (e) {
      throw errorFromCredentials(server, e, secrets);
    }
    const auth = (reqOpts.headers as Record<string, unknown>)?.Authorization;
    if (typeof auth === 'string') secrets.push(auth, auth.replace(/^\w+\s+/, ''));
  }
  if (signal?.aborted) throw cancelled(d);

  const prefix = base.pathname.replace(/\/+$/, '');
  const method = options.method ?? 'GET';
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) if (k.toLowerCase() !== 'authorization') extra[k] = v;
  const body = options.body;
  const headers: Record<string, string> = {
    ...extra,
    ...(reqOpts.headers as Record<string, string>),
    Accept: options.accept ?? 'application/json',
    'User-Agent': 'pod-profiler-vscode',
    ...(body ? { 'Content-Length': String(body.byteLength) } : {}),
  };
  const finalOpts: https.RequestOptions = {
    ...reqOpts,
    method,
    protocol: base.protocol,
    hostname: base.hostname.replace(/^\[|\]$/g, ''),
    port: base.port || (secure ? 443 : 80),
    path: prefix + path,
    headers,
  };

  return new Promise<KubeResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, value?: KubeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err instanceof ClusterError ? err : errorFromTransport(d, err, secrets));
      } else resolve(value!);
    };
    const onAbort = () => finish(cancelled(d));
    const timer = setTimeout(
      () =>
        finish(
          new ClusterError(
            'timeout',
            `No complete answer from ${server}${path.split('?')[0]} within ${formatSeconds(timeoutMs)}. ` +
              `The cluster or the pod may be overloaded or unreachable from the API server; try again or with a shorter duration.`,
          ),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });

    const req = (secure ? https : http).request(finalOpts, (res) => {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const passThrough = !ok && options.anyStatus === true;
      const cap = ok ? maxBytes : errorBodyBytes;
      const declared = Number(res.headers['content-length']);
      if (ok && Number.isFinite(declared) && declared > maxBytes) {
        finish(tooLarge(d, maxBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > cap) {
          if (ok) finish(tooLarge(d, maxBytes));
          else if (passThrough) finish(undefined, { status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
          else finish(errorFromResponse(d, status, Buffer.concat(chunks), secrets));
          return;
        }
        chunks.push(chunk);
      });
      const cutOff = () =>
        new ClusterError(
          'bad-response',
          `The answer to ${d.verb} ${d.resource}${d.name ? ` "${d.name}"` : ''} broke off after ${size} bytes: the connection closed early. Try again.`,
          status,
        );
      // Once the headers are in, a socket failure (res 'error', then 'close') means the body was cut off.
      res.on('error', (e) => finish(options.reportCutOff ? cutOff() : e));
      res.on('close', () => {
        if (res.complete) return;
        if (options.reportCutOff) finish(cutOff());
        else finish(Object.assign(new Error('connection closed before the answer was complete'), { code: 'ECONNRESET' }));
      });
      res.on('end', () => {
        const received = Buffer.concat(chunks);
        if (!ok && !passThrough) finish(errorFromResponse(d, status, received, secrets));
        else finish(undefined, { status, contentType: String(res.headers['content-type'] ?? ''), body: received });
      });
    });
    req.on('error', (e) => finish(e));
    req.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
  });
}

/** GET returning parsed JSON. */
export async function kubeGetJson<T>(kc: KubeConfig, path: string, purpose: RequestPurpose, options: KubeGetOptions = {}): Promise<T> {
  const res = await kubeGet(kc, path, purpose, options);
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch {
    throw new ClusterError('bad-response', `The API server at ${serverUrl(kc)} answered ${path.split('?')[0]} with something that is not JSON.`);
  }
}

function cancelled(d: RequestDescription): ClusterError {
  return new ClusterError('cancelled', `Cancelled: ${d.verb} ${d.resource}${d.name ? ` "${d.name}"` : ''}.`);
}

function tooLarge(d: RequestDescription, maxBytes: number): ClusterError {
  return new ClusterError(
    'too-large',
    `The answer for ${d.verb} ${d.resource}${d.name ? ` "${d.name}"` : ''} is larger than the ${formatBytes(maxBytes)} limit; ` +
      `raise the setting podProfiler.maxProfileMegabytes if this is expected.`,
  );
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}
