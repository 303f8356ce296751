// The wire side of Pixie's APIs: our .proto files parsed once with protobufjs, plain-object message
// shapes (snake_case as on the wire, int64 as decimal strings), and encode/decode functions that the
// gRPC client and the test suite's fake Vizier both use.
import * as protobuf from 'protobufjs';
import { protoDecoder, protoEncoder } from '../protobufCodec';
import vizierProto from './vizierapi.proto';
import cloudProto from './cloudapi.proto';

export const executeScriptPath = '/px.api.vizierpb.VizierService/ExecuteScript';
export const getClusterInfoPath = '/px.cloudapi.VizierClusterInfo/GetClusterInfo';

/** Column data types (px.api.vizierpb.DataType). */
export type VzDataType = 'DATA_TYPE_UNKNOWN' | 'BOOLEAN' | 'INT64' | 'UINT128' | 'FLOAT64' | 'STRING' | 'TIME64NS';

/** int64/uint64 fields: decimal strings on decode; numbers or strings accepted on encode. */
export type Int64 = string | number;

export interface VzUInt128 {
  low?: Int64;
  high?: Int64;
}

export interface VzColumn {
  boolean_data?: { data?: boolean[] };
  int64_data?: { data?: Int64[] };
  uint128_data?: { data?: VzUInt128[] };
  time64ns_data?: { data?: Int64[] };
  float64_data?: { data?: number[] };
  string_data?: { data?: string[] };
}

export interface VzRowBatchData {
  table_id?: string;
  cols?: VzColumn[];
  num_rows?: Int64;
  eow?: boolean;
  eos?: boolean;
}

export interface VzColumnInfo {
  column_name?: string;
  column_type?: VzDataType | number;
  column_desc?: string;
  column_semantic_type?: string | number;
}

export interface VzQueryMetadata {
  relation?: { columns?: VzColumnInfo[] };
  name?: string;
  id?: string;
}

export interface VzStatus {
  code?: number;
  message?: string;
  error_details?: Array<{ compiler_error?: { line?: Int64; column?: Int64; message?: string } }>;
}

export interface VzExecuteScriptRequest {
  query_str?: string;
  cluster_id?: string;
  mutation?: boolean;
  query_id?: string;
  query_name?: string;
  encryption_options?: { jwk_key?: string; key_alg?: string; content_alg?: string; compression_alg?: string };
}

export interface VzExecuteScriptResponse {
  status?: VzStatus;
  query_id?: string;
  data?: {
    batch?: VzRowBatchData;
    encrypted_batch?: Uint8Array;
    execution_stats?: { timing?: { execution_time_ns?: Int64; compilation_time_ns?: Int64 }; bytes_processed?: Int64; records_processed?: Int64 };
  };
  meta_data?: VzQueryMetadata;
  mutation_info?: { status?: VzStatus };
}

export interface CloudUuid {
  high_bits?: Int64;
  low_bits?: Int64;
}

export type CloudClusterStatus =
  | 'CS_UNKNOWN'
  | 'CS_HEALTHY'
  | 'CS_UNHEALTHY'
  | 'CS_DISCONNECTED'
  | 'CS_UPDATING'
  | 'CS_CONNECTED'
  | 'CS_UPDATE_FAILED'
  | 'CS_DEGRADED';

export interface CloudClusterInfo {
  id?: CloudUuid;
  status?: CloudClusterStatus | number;
  lastHeartbeatNs?: Int64;
  config?: { passthrough_enabled?: boolean; auto_update_enabled?: boolean };
  cluster_uid?: string;
  cluster_name?: string;
  cluster_version?: string;
  vizier_version?: string;
  pretty_cluster_name?: string;
  num_nodes?: number;
  num_instrumented_nodes?: number;
  status_message?: string;
}

export interface CloudGetClusterInfoRequest {
  id?: CloudUuid;
}

export interface CloudGetClusterInfoResponse {
  clusters?: CloudClusterInfo[];
}

let types:
  | {
      request: protobuf.Type;
      response: protobuf.Type;
      clusterInfoRequest: protobuf.Type;
      clusterInfoResponse: protobuf.Type;
    }
  | undefined;

function schema(): NonNullable<typeof types> {
  if (!types) {
    const vz = protobuf.parse(vizierProto, { keepCase: true }).root;
    const cloud = protobuf.parse(cloudProto, { keepCase: true }).root;
    types = {
      request: vz.lookupType('px.api.vizierpb.ExecuteScriptRequest'),
      response: vz.lookupType('px.api.vizierpb.ExecuteScriptResponse'),
      clusterInfoRequest: cloud.lookupType('px.cloudapi.GetClusterInfoRequest'),
      clusterInfoResponse: cloud.lookupType('px.cloudapi.GetClusterInfoResponse'),
    };
  }
  return types;
}

// int64 as decimal strings (exact), enums as names, no defaults: absent fields stay absent.
const toObjectOptions: protobuf.IConversionOptions = { longs: String, enums: String, defaults: false, oneofs: false };

export const encodeExecuteScriptRequest = protoEncoder<VzExecuteScriptRequest>(() => schema().request);
export const decodeExecuteScriptRequest = protoDecoder<VzExecuteScriptRequest>(() => schema().request, toObjectOptions);
export const encodeExecuteScriptResponse = protoEncoder<VzExecuteScriptResponse>(() => schema().response);
export const decodeExecuteScriptResponse = protoDecoder<VzExecuteScriptResponse>(() => schema().response, toObjectOptions);
export const encodeGetClusterInfoRequest = protoEncoder<CloudGetClusterInfoRequest>(() => schema().clusterInfoRequest);
export const decodeGetClusterInfoRequest = protoDecoder<CloudGetClusterInfoRequest>(() => schema().clusterInfoRequest, toObjectOptions);
export const encodeGetClusterInfoResponse = protoEncoder<CloudGetClusterInfoResponse>(() => schema().clusterInfoResponse);
export const decodeGetClusterInfoResponse = protoDecoder<CloudGetClusterInfoResponse>(() => schema().clusterInfoResponse, toObjectOptions);

/** px.uuidpb.UUID -> "00112233-4455-6677-8899-aabbccddeeff". */
export function uuidToString(id: CloudUuid | undefined): string {
  const hex = (v: Int64 | undefined) => BigInt(v ?? 0).toString(16).padStart(16, '0');
  const h = hex(id?.high_bits) + hex(id?.low_bits);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "00112233-4455-6677-8899-aabbccddeeff" -> px.uuidpb.UUID; undefined when not a UUID. */
export function uuidFromString(text: string): CloudUuid | undefined {
  const h = text.trim().toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(h)) return undefined;
  return { high_bits: BigInt(`0x${h.slice(0, 16)}`).toString(), low_bits: BigInt(`0x${h.slice(16)}`).toString() };
}
