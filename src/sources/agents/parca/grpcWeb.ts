// gRPC-Web's binary wire form (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md), the part a
// unary call needs: the request body is one length-prefixed message frame; the response body holds message
// frames then one trailers frame, or nothing at all when the status came in the HTTP headers
// ("trailers-only", what Envoy and connect-go send for errors; improbable-eng's grpcweb in Parca puts it in
// a trailers frame). Every frame is [flags: 1 byte][length: 4 bytes big-endian][payload]; flag bit 0x80
// marks trailers, bit 0x01 a compressed payload (we never ask for compression, so it is an error).
// Input is untrusted: lengths are checked against the bytes present and a cap before anything is copied.

export const grpcWebContentType = 'application/grpc-web+proto';

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const grpcCodeNames = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export type GrpcCodeName = (typeof grpcCodeNames)[number];

const frameHeaderBytes = 5;
const trailerFlag = 0x80;
const compressedFlag = 0x01;
/** Trailers are a few short lines; anything bigger is not a gRPC-Web answer. */
const maxTrailerBytes = 64 * 1024;

/** One request frame around a serialized message. */
export function encodeGrpcWebFrame(message: Uint8Array, trailers = false): Buffer {
  const out = Buffer.alloc(frameHeaderBytes + message.byteLength);
  out[0] = trailers ? trailerFlag : 0;
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, frameHeaderBytes);
  return out;
}

/** A trailers frame as a server writes it: "key: value\r\n" lines. */
export function encodeGrpcWebTrailers(trailers: Record<string, string>): Buffer {
  const text = Object.entries(trailers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return encodeGrpcWebFrame(Buffer.from(text, 'utf8'), true);
}

export interface GrpcWebBody {
  /** Message payloads in order (a unary answer has at most one). */
  messages: Buffer[];
  /** Lower-cased trailer names -> values; undefined when the body had no trailers frame. */
  trailers?: Map<string, string>;
}

/** Why a body could not be read; the caller turns it into a user-facing error. */
export class GrpcWebFrameError extends Error {
  override readonly name = 'GrpcWebFrameError';
  constructor(
    readonly reason: 'truncated' | 'too-large' | 'compressed' | 'after-trailers' | 'bad-trailers',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Splits a response body into message payloads and trailers. `maxMessageBytes` bounds each message's
 * declared length (checked before the bytes are awaited or copied). Throws GrpcWebFrameError.
 */
export function parseGrpcWebBody(body: Uint8Array, maxMessageBytes: number): GrpcWebBody {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const messages: Buffer[] = [];
  let trailers: Map<string, string> | undefined;
  let pos = 0;
  while (pos < buf.length) {
    if (trailers) throw new GrpcWebFrameError('after-trailers', `${buf.length - pos} bytes follow the trailers frame.`);
    if (buf.length - pos < frameHeaderBytes) {
      throw new GrpcWebFrameError('truncated', `the answer ends inside a frame header (${buf.length - pos} of 5 bytes).`);
    }
    const flags = buf[pos];
    const length = buf.readUInt32BE(pos + 1);
    const isTrailers = (flags & trailerFlag) !== 0;
    const cap = isTrailers ? maxTrailerBytes : maxMessageBytes;
    if (length > cap) {
      throw new GrpcWebFrameError('too-large', `a ${isTrailers ? 'trailers' : 'message'} frame declares ${length} bytes, more than the ${cap}-byte limit.`);
    }
    const start = pos + frameHeaderBytes;
    if (start + length > buf.length) {
      throw new GrpcWebFrameError('truncated', `a frame declares ${length} bytes but only ${buf.length - start} arrived.`);
    }
    const payload = buf.subarray(start, start + length);
    if (isTrailers) trailers = parseTrailerBlock(payload.toString('latin1'));
    else if (flags & compressedFlag) throw new GrpcWebFrameError('compressed', 'the answer is compressed although no compression was offered.');
    else messages.push(Buffer.from(payload));
    pos = start + length;
  }
  return { messages, trailers };
}

/** "grpc-status: 0\r\ngrpc-message: ok\r\n" -> map with lower-cased names. Throws on lines without a colon. */
export function parseTrailerBlock(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new GrpcWebFrameError('bad-trailers', 'the trailers frame is not "name: value" lines.');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Repeated names are joined as HTTP does.
    out.set(name, out.has(name) ? `${out.get(name)}, ${value}` : value);
  }
  return out;
}

export interface GrpcStatus {
  code: number;
  /** GrpcCodeName for known codes, else "code N". */
  codeName: string;
  /** grpc-message, percent-decoded. */
  message: string;
}

/**
 * The call's status: from the trailers frame, else from the HTTP headers (trailers-only answers);
 * undefined when neither carries grpc-status.
 */
export function grpcStatusOf(trailers: Map<string, string> | undefined, headers: Record<string, string | string[] | undefined>): GrpcStatus | undefined {
  const header = (name: string): string | undefined => {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(', ') : v;
    return undefined;
  };
  const raw = trailers?.get('grpc-status') ?? header('grpc-status');
  if (raw === undefined) return undefined;
  const message = decodeGrpcMessage((trailers?.has('grpc-status') ? trailers.get('grpc-message') : header('grpc-message')) ?? '');
  const code = /^\d{1,3}$/.test(raw.trim()) ? Number(raw.trim()) : 2; // unparsable: UNKNOWN, as gRPC clients do
  return { code, codeName: grpcCodeNames[code] ?? `code ${code}`, message };
}

/** grpc-message is percent-encoded UTF-8; a malformed escape is kept as it is. */
export function decodeGrpcMessage(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9A-Fa-f]{2})/g, (m, h: string) => {
      const c = parseInt(h, 16);
      return c < 0x80 ? String.fromCharCode(c) : m;
    });
  }
}
