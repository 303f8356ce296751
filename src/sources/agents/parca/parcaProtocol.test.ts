// The field numbers of our query.proto checked on the wire by hand (protobuf keys are field << 3 | wire type),
// against the numbers read from parca-dev/parca proto/parca/query/v1alpha1/query.proto: QueryRequest mode=1,
// merge=3, report_type=5; MergeProfile query=1, start=2, end=3; Timestamp seconds=1, nanos=2; QueryResponse
// pprof=6; ProfileTypesRequest start=1, end=2; ProfileTypesResponse types=1; ProfileType name..delta = 1..6.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MODE_MERGE,
  REPORT_TYPE_PPROF,
  decodeProfileTypesResponse,
  decodeQueryRequest,
  decodeQueryResponse,
  encodeProfileTypesRequest,
  encodeQueryRequest,
  msOfTimestamp,
  profileTypeId,
  timestampOf,
} from './parcaProtocol';

const key = (field: number, wire: number) => (field << 3) | wire;

describe('Parca query protocol', () => {
  test('QueryRequest bytes: mode, merge{query,start,end}, report_type with the real field numbers', () => {
    const bytes = encodeQueryRequest({ mode: MODE_MERGE, merge: { query: 'q', start: { seconds: 5, nanos: 7 }, end: { seconds: 6 } }, report_type: REPORT_TYPE_PPROF });
    const ts = (s: number, n?: number) => (n ? [key(1, 0), s, key(2, 0), n] : [key(1, 0), s]);
    const merge = [key(1, 2), 1, 0x71, key(2, 2), 4, ...ts(5, 7), key(3, 2), 2, ...ts(6)];
    assert.deepEqual([...bytes], [key(1, 0), 2, key(3, 2), merge.length, ...merge, key(5, 0), 1]);
    const back = decodeQueryRequest(bytes);
    assert.equal(back.merge?.query, 'q');
    assert.equal(back.mode, 2);
    assert.equal(back.report_type, 1);
  });

  test('QueryResponse: pprof is field 6 (bytes); total 9 and filtered 10 are skipped or read', () => {
    const pprof = [0x1f, 0x8b, 1, 2];
    const bytes = Buffer.from([key(9, 0), 3, key(6, 2), pprof.length, ...pprof, key(10, 0), 1, key(99, 0), 1]);
    const r = decodeQueryResponse(bytes);
    assert.deepEqual([...(r.pprof ?? [])], pprof);
    assert.equal(r.total, '3');
  });

  test('ProfileTypes request/response', () => {
    assert.deepEqual([...encodeProfileTypesRequest({ start: { seconds: 1 }, end: { seconds: 2 } })], [key(1, 2), 2, key(1, 0), 1, key(2, 2), 2, key(1, 0), 2]);
    const s = (f: number, v: string) => [key(f, 2), v.length, ...Buffer.from(v)];
    const t = [...s(1, 'parca_agent'), ...s(2, 'samples'), ...s(3, 'count'), ...s(4, 'cpu'), ...s(5, 'nanoseconds'), key(6, 0), 1];
    const res = decodeProfileTypesResponse(Buffer.from([key(1, 2), t.length, ...t]));
    assert.equal(profileTypeId(res.types![0]), 'parca_agent:samples:count:cpu:nanoseconds:delta');
  });

  test('timestamps round-trip to the millisecond', () => {
    for (const ms of [0, 1, 999, 1_700_000_000_123, 1_800_000_000_999]) assert.equal(msOfTimestamp(timestampOf(ms)), ms);
    assert.deepEqual(timestampOf(1_700_000_000_123), { seconds: 1_700_000_000, nanos: 123_000_000 });
  });
});
