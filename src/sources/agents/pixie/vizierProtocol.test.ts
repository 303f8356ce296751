// Field numbers are checked against hand-computed protobuf wire bytes (tag = field << 3 | wire type), taken
// from Pixie's vizierapi.proto / cloudapi.proto, independently of protobufjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeExecuteScriptResponse,
  decodeGetClusterInfoResponse,
  encodeExecuteScriptRequest,
  encodeExecuteScriptResponse,
  uuidFromString,
  uuidToString,
} from './vizierProtocol';

const bytes = (...parts: Array<number | string | Buffer>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));

test('ExecuteScriptRequest: query_str = 1, cluster_id = 3, query_name = 10', () => {
  const got = encodeExecuteScriptRequest({ query_str: 'px', cluster_id: 'c1', query_name: 'q' });
  assert.deepEqual(got, bytes(0x0a, 2, 'px', 0x1a, 2, 'c1', 0x52, 1, 'q'));
});

test('ExecuteScriptResponse: status = 1 {code 1, message 2}, query_id = 2, data = 3, meta_data = 4', () => {
  // status{code:3, message:"x"}, query_id:"q"
  const status = decodeExecuteScriptResponse(bytes(0x0a, 5, 0x08, 3, 0x12, 1, 'x', 0x12, 1, 'q'));
  assert.deepEqual(status, { status: { code: 3, message: 'x' }, query_id: 'q' });

  // meta_data{relation{columns[{column_name:"n", column_type:STRING(5), column_semantic_type:ST_POD_NAME(400)}]}, name:"t", id:"i"}
  const colInfo = bytes(0x0a, 1, 'n', 0x10, 5, 0x20, 0x90, 0x03); // 400 = 0x90 0x03 varint
  const relation = bytes(0x0a, colInfo.length, colInfo);
  const meta = bytes(0x0a, relation.length, relation, 0x12, 1, 't', 0x1a, 1, 'i');
  const decodedMeta = decodeExecuteScriptResponse(bytes(0x22, meta.length, meta));
  assert.deepEqual(decodedMeta.meta_data, {
    relation: { columns: [{ column_name: 'n', column_type: 'STRING', column_semantic_type: 'ST_POD_NAME' }] },
    name: 't',
    id: 'i',
  });

  // data{batch{cols[{int64_data(2){data:[7]}}, {string_data(6){data:["s"]}}], num_rows(2):1, eow(3), eos(4), table_id(5):"i"}}
  const int64Col = bytes(0x12, 3, 0x0a, 1, 7); // Column.int64_data{ data packed [7] }
  const strCol = bytes(0x32, 3, 0x0a, 1, 's'); // Column.string_data{ data ["s"] }
  const batch = bytes(0x0a, int64Col.length, int64Col, 0x0a, strCol.length, strCol, 0x10, 1, 0x18, 1, 0x20, 1, 0x2a, 1, 'i');
  const data = bytes(0x0a, batch.length, batch);
  const decodedBatch = decodeExecuteScriptResponse(bytes(0x1a, data.length, data));
  assert.deepEqual(decodedBatch.data?.batch, {
    cols: [{ int64_data: { data: ['7'] } }, { string_data: { data: ['s'] } }],
    num_rows: '1',
    eow: true,
    eos: true,
    table_id: 'i',
  });
});

test('Column oneof numbers: boolean 1, int64 2, uint128 3, time64ns 4, float64 5, string 6; UInt128 low 1 high 2', () => {
  const enc = encodeExecuteScriptResponse({
    data: {
      batch: {
        cols: [
          { boolean_data: { data: [true] } },
          { uint128_data: { data: [{ low: 2, high: 1 }] } },
          { time64ns_data: { data: [5] } },
          { float64_data: { data: [0.5] } },
        ],
      },
    },
  });
  const cols = [
    bytes(0x0a, 3, 0x0a, 1, 1),
    bytes(0x1a, 6, 0x0a, 4, 0x08, 2, 0x10, 1),
    bytes(0x22, 3, 0x0a, 1, 5),
    Buffer.concat([Buffer.from([0x2a, 10, 0x0a, 8]), Buffer.from([0, 0, 0, 0, 0, 0, 0xe0, 0x3f])]), // 0.5 as little-endian double
  ];
  const batch = Buffer.concat(cols.map((c) => Buffer.concat([Buffer.from([0x0a, c.length]), c])));
  const data = Buffer.concat([Buffer.from([0x0a, batch.length]), batch]);
  assert.deepEqual(enc, Buffer.concat([Buffer.from([0x1a, data.length]), data]));
});

test('cloud ClusterInfo: id = 1 (UUID high_bits 2, low_bits 3), status = 2, cluster_name = 6, pretty_cluster_name = 9', () => {
  const uuid = bytes(0x10, 1, 0x18, 2);
  const info = bytes(0x0a, uuid.length, uuid, 0x10, 3, 0x32, 1, 'a', 0x4a, 1, 'b');
  const res = decodeGetClusterInfoResponse(bytes(0x0a, info.length, info));
  assert.deepEqual(res.clusters, [{ id: { high_bits: '1', low_bits: '2' }, status: 'CS_DISCONNECTED', cluster_name: 'a', pretty_cluster_name: 'b' }]);
  assert.equal(uuidToString(res.clusters![0].id), '00000000-0000-0001-0000-000000000002');
});

test('UUID strings round trip through high/low bits', () => {
  const s = '7c1f4e2a-93b5-4d61-8f0e-2a6b5c9d1e43';
  const u = uuidFromString(s)!;
  assert.equal(BigInt(u.high_bits!), 0x7c1f4e2a93b54d61n);
  assert.equal(BigInt(u.low_bits!), 0x8f0e2a6b5c9d1e43n);
  assert.equal(uuidToString(u), s);
  assert.equal(uuidFromString('not-a-uuid'), undefined);
});
