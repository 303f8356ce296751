// One Connect unary call to Pyroscope's QuerierService over a transport: binary protobuf request, headers
// of the Connect protocol, the answer's status and body read into a result or a PyroscopeError.
import { errorFromConnectAnswer, PyroscopeError, type PyroscopeCallContext } from './pyroscopeErrors';
import { connectProtoContentType, connectProtocolVersionHeader, parseConnectError } from './pyroscopeProtocol';
import type { PyroscopeTransport } from './pyroscopeTransport';

export const defaultPyroscopeTimeoutMs = 60_000;
export const defaultPyroscopeMaxBytes = 64 * 1024 * 1024;

export interface CallOptions {
  signal?: AbortSignal;
  /** Deadline of the call, also sent as Connect-Timeout-Ms so the server stops when we give up. Default 60 s. */
  timeoutMs?: number;
  /** Largest answer accepted. Default 64 MiB. */
  maxBytes?: number;
}

/** Context for messages about a call of `procedure` over `transport`. */
export function callContext(transport: PyroscopeTransport, procedure: string, timeoutMs?: number): PyroscopeCallContext {
  return {
    where: transport.where,
    procedure,
    viaServiceProxy: transport.viaServiceProxy,
    tenant: transport.tenant,
    sentCredentials: transport.sentCredentials,
    timeoutMs,
  };
}

/** POSTs the encoded request; resolves to the 2xx body bytes, or throws PyroscopeError. */
export async function connectUnary(transport: PyroscopeTransport, procedure: string, request: Uint8Array, options: CallOptions = {}): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? defaultPyroscopeTimeoutMs;
  const answer = await transport.post(procedure, request, {
    headers: {
      'Content-Type': connectProtoContentType,
      [connectProtocolVersionHeader]: '1',
      'Connect-Timeout-Ms': String(Math.max(1, Math.round(timeoutMs))),
      Accept: `${connectProtoContentType}, application/json`,
    },
    signal: options.signal,
    timeoutMs,
    maxBytes: options.maxBytes ?? defaultPyroscopeMaxBytes,
  });
  const ctx = callContext(transport, procedure, timeoutMs);
  if (answer.status < 200 || answer.status >= 300) {
    throw errorFromConnectAnswer(ctx, answer.status, parseConnectError(answer.contentType, answer.body), answer.body, transport.secrets);
  }
  // A 200 that is not protobuf is some other web server (a UI, a login page of a gateway) at that address.
  if (answer.contentType && !/^application\/(proto|x-protobuf|octet-stream)\b/i.test(answer.contentType)) {
    throw new PyroscopeError(
      'not-found',
      `${transport.where} answered ${procedure.split('/').pop()} with ${answer.contentType.split(';')[0]} instead of protobuf: this is not ` +
        `Pyroscope's query API (a web UI or a login page of a proxy?). Check the address points at Pyroscope's HTTP port (default 4040).`,
      answer.status,
    );
  }
  return answer.body;
}

/** Decodes with the given decoder; a body that does not decode is a 'bad-response' naming the call. */
export function decodeAnswer<T>(transport: PyroscopeTransport, procedure: string, body: Uint8Array, decode: (b: Uint8Array) => T): T {
  try {
    return decode(body);
  } catch (e) {
    throw new PyroscopeError(
      'bad-response',
      `${transport.where} answered ${procedure.split('/').pop()} with data that is not the expected protobuf message ` +
        `(${(e as Error).message}). The answer may have been cut off, or the address is not Pyroscope.`,
    );
  }
}
