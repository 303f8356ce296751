// The wire side of Pyroscope's query API: our .proto files parsed once with protobufjs, plain-object message
// shapes (snake_case as on the wire, int64 as decimal strings on decode), and encode/decode functions that
// the client and the test suite's fake Pyroscope both use. The transport is the Connect protocol's unary
// form: POST /<package>.<Service>/<Method> with a binary protobuf body (Content-Type: application/proto),
// no gRPC framing; errors come back as a non-2xx status with a JSON body {"code": "...", "message": "..."}.
import * as protobuf from 'protobufjs';
import { protoDecoder, protoEncoder } from '../protobufCodec';
import querierProto from './querier.proto';
import typesProto from './types.proto';

export const querierService = '/querier.v1.QuerierService';
export const profileTypesPath = `${querierService}/ProfileTypes`;
export const selectMergeProfilePath = `${querierService}/SelectMergeProfile`;
export const labelValuesPath = `${querierService}/LabelValues`;

/** Content type of binary Connect unary requests and successful responses. */
export const connectProtoContentType = 'application/proto';
/** Connect clients send it; servers may require it (connect-go's WithRequireConnectProtocolHeader). */
export const connectProtocolVersionHeader = 'Connect-Protocol-Version';

/** int64 fields: decimal strings on decode; numbers or strings accepted on encode. */
export type Int64 = string | number;

export interface PyroProfileType {
  ID?: string;
  name?: string;
  sample_type?: string;
  sample_unit?: string;
  period_type?: string;
  period_unit?: string;
}

export interface PyroProfileTypesRequest {
  start?: Int64;
  end?: Int64;
}

export interface PyroProfileTypesResponse {
  profile_types?: PyroProfileType[];
}

export interface PyroSelectMergeProfileRequest {
  profile_typeID?: string;
  label_selector?: string;
  start?: Int64;
  end?: Int64;
  max_nodes?: Int64;
}

export interface PyroLabelValuesRequest {
  name?: string;
  matchers?: string[];
  start?: Int64;
  end?: Int64;
}

export interface PyroLabelValuesResponse {
  names?: string[];
}

let types:
  | {
      profileTypesRequest: protobuf.Type;
      profileTypesResponse: protobuf.Type;
      selectMergeProfileRequest: protobuf.Type;
      labelValuesRequest: protobuf.Type;
      labelValuesResponse: protobuf.Type;
    }
  | undefined;

function schema(): NonNullable<typeof types> {
  if (!types) {
    const root = new protobuf.Root();
    protobuf.parse(typesProto, root, { keepCase: true });
    protobuf.parse(querierProto, root, { keepCase: true });
    root.resolveAll();
    types = {
      profileTypesRequest: root.lookupType('querier.v1.ProfileTypesRequest'),
      profileTypesResponse: root.lookupType('querier.v1.ProfileTypesResponse'),
      selectMergeProfileRequest: root.lookupType('querier.v1.SelectMergeProfileRequest'),
      labelValuesRequest: root.lookupType('types.v1.LabelValuesRequest'),
      labelValuesResponse: root.lookupType('types.v1.LabelValuesResponse'),
    };
  }
  return types;
}

// int64 as decimal strings (exact), no defaults: absent fields stay absent.
const toObjectOptions: protobuf.IConversionOptions = { longs: String, enums: String, defaults: false, oneofs: false };

export const encodeProfileTypesRequest = protoEncoder<PyroProfileTypesRequest>(() => schema().profileTypesRequest);
export const decodeProfileTypesRequest = protoDecoder<PyroProfileTypesRequest>(() => schema().profileTypesRequest, toObjectOptions);
export const encodeProfileTypesResponse = protoEncoder<PyroProfileTypesResponse>(() => schema().profileTypesResponse);
export const decodeProfileTypesResponse = protoDecoder<PyroProfileTypesResponse>(() => schema().profileTypesResponse, toObjectOptions);
export const encodeSelectMergeProfileRequest = protoEncoder<PyroSelectMergeProfileRequest>(() => schema().selectMergeProfileRequest);
export const decodeSelectMergeProfileRequest = protoDecoder<PyroSelectMergeProfileRequest>(() => schema().selectMergeProfileRequest, toObjectOptions);
export const encodeLabelValuesRequest = protoEncoder<PyroLabelValuesRequest>(() => schema().labelValuesRequest);
export const decodeLabelValuesRequest = protoDecoder<PyroLabelValuesRequest>(() => schema().labelValuesRequest, toObjectOptions);
export const encodeLabelValuesResponse = protoEncoder<PyroLabelValuesResponse>(() => schema().labelValuesResponse);
export const decodeLabelValuesResponse = protoDecoder<PyroLabelValuesResponse>(() => schema().labelValuesResponse, toObjectOptions);

/** A Connect error body: {"code": "unauthenticated", "message": "...", "details": [...]}. */
export interface ConnectErrorBody {
  code: string;
  message?: string;
}

/** The Connect error codes (lower snake case of the gRPC names). */
export const connectCodes = [
  'canceled',
  'unknown',
  'invalid_argument',
  'deadline_exceeded',
  'not_found',
  'already_exists',
  'permission_denied',
  'resource_exhausted',
  'failed_precondition',
  'aborted',
  'out_of_range',
  'unimplemented',
  'internal',
  'unavailable',
  'data_loss',
  'unauthenticated',
] as const;

/** Reads a Connect error body; undefined when the body is not one (e.g. a proxy's HTML or "404 page not found"). */
export function parseConnectError(contentType: string, body: Uint8Array): ConnectErrorBody | undefined {
  if (body.length === 0 || body.length > 1024 * 1024) return undefined;
  // Connect sends application/json; some proxies rewrite it, so a JSON-looking body is read too.
  if (!/json/i.test(contentType) && body[0] !== 0x7b /* { */) return undefined;
  try {
    const o = JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
    if (!o || typeof o !== 'object') return undefined;
    const { code, message } = o as Record<string, unknown>;
    if (typeof code !== 'string' || !(connectCodes as readonly string[]).includes(code)) return undefined;
    return { code, message: typeof message === 'string' ? message : undefined };
  } catch {
    return undefined;
  }
}

/** The Connect code a status maps to when the body carries none (the spec's HTTP-to-code table). */
export function connectCodeFromHttpStatus(status: number): string {
  switch (status) {
    case 400:
      return 'internal';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'permission_denied';
    case 404:
      return 'unimplemented';
    case 429:
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'unknown';
  }
}
