// The messages of Parca's QueryService we send and read: our query.proto parsed once with protobufjs,
// plain-object shapes (snake_case as on the wire, int64 as decimal strings on decode), and encode/decode
// functions shared by the client and the test suite's fake Parca.
import * as protobuf from 'protobufjs';
import { protoDecoder, protoEncoder } from '../protobufCodec';
import queryProto from './query.proto';
import timestampProto from './timestamp.proto';

export const queryService = 'parca.query.v1alpha1.QueryService';
/** gRPC method paths (appended to the server's base URL, which may carry Parca's --path-prefix). */
export const queryPath = `/${queryService}/Query`;
export const profileTypesPath = `/${queryService}/ProfileTypes`;

/** QueryRequest.Mode and QueryRequest.ReportType values we use. */
export const MODE_MERGE = 2;
export const REPORT_TYPE_PPROF = 1;

export interface PbTimestamp {
  seconds?: string | number;
  nanos?: number;
}

export interface ParcaProfileType {
  name?: string;
  sample_type?: string;
  sample_unit?: string;
  period_type?: string;
  period_unit?: string;
  delta?: boolean;
}

export interface ProfileTypesRequestMsg {
  start?: PbTimestamp;
  end?: PbTimestamp;
}

export interface ProfileTypesResponseMsg {
  types?: ParcaProfileType[];
}

export interface QueryRequestMsg {
  mode?: number | string;
  merge?: { query?: string; start?: PbTimestamp; end?: PbTimestamp };
  report_type?: number | string;
}

export interface QueryResponseMsg {
  pprof?: Uint8Array;
  total?: string;
  filtered?: string;
}

let types: Record<'profileTypesRequest' | 'profileTypesResponse' | 'queryRequest' | 'queryResponse', protobuf.Type> | undefined;
let root: protobuf.Root | undefined;

/** The parsed schema (also used by the test suite to build a grpc-js client of the same service). */
export function parcaRoot(): protobuf.Root {
  if (!root) {
    root = new protobuf.Root();
    protobuf.parse(timestampProto, root, { keepCase: true });
    protobuf.parse(queryProto, root, { keepCase: true });
    root.resolveAll();
  }
  return root;
}

function schema(): NonNullable<typeof types> {
  if (!types) {
    const r = parcaRoot();
    types = {
      profileTypesRequest: r.lookupType('parca.query.v1alpha1.ProfileTypesRequest'),
      profileTypesResponse: r.lookupType('parca.query.v1alpha1.ProfileTypesResponse'),
      queryRequest: r.lookupType('parca.query.v1alpha1.QueryRequest'),
      queryResponse: r.lookupType('parca.query.v1alpha1.QueryResponse'),
    };
  }
  return types;
}

// int64 as decimal strings (exact), enums as numbers, bytes as Buffers, absent fields stay absent.
const toObjectOptions: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: Buffer, defaults: false, oneofs: false };

export const encodeProfileTypesRequest = protoEncoder<ProfileTypesRequestMsg>(() => schema().profileTypesRequest);
export const decodeProfileTypesRequest = protoDecoder<ProfileTypesRequestMsg>(() => schema().profileTypesRequest, toObjectOptions);
export const encodeProfileTypesResponse = protoEncoder<ProfileTypesResponseMsg>(() => schema().profileTypesResponse);
export const decodeProfileTypesResponse = protoDecoder<ProfileTypesResponseMsg>(() => schema().profileTypesResponse, toObjectOptions);
export const encodeQueryRequest = protoEncoder<QueryRequestMsg>(() => schema().queryRequest);
export const decodeQueryRequest = protoDecoder<QueryRequestMsg>(() => schema().queryRequest, toObjectOptions);
export const encodeQueryResponse = protoEncoder<QueryResponseMsg>(() => schema().queryResponse);
export const decodeQueryResponse = protoDecoder<QueryResponseMsg>(() => schema().queryResponse, toObjectOptions);

/** ms since the epoch -> Timestamp. */
export function timestampOf(ms: number): PbTimestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Timestamp -> ms since the epoch (NaN when absent). */
export function msOfTimestamp(t: PbTimestamp | undefined): number {
  if (!t) return NaN;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** The profile type's full name: name:sample_type:sample_unit:period_type:period_unit[:delta]. */
export function profileTypeId(t: ParcaProfileType): string {
  return [t.name, t.sample_type, t.sample_unit, t.period_type, t.period_unit].map((s) => s ?? '').join(':') + (t.delta ? ':delta' : '');
}
