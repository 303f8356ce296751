import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectCodeFromHttpStatus,
  decodeLabelValuesResponse,
  decodeProfileTypesResponse,
  decodeSelectMergeProfileRequest,
  encodeLabelValuesRequest,
  encodeProfileTypesRequest,
  encodeSelectMergeProfileRequest,
  parseConnectError,
} from './pyroscopeProtocol';

// Expected bytes are written by hand from the field numbers of grafana/pyroscope's querier.proto and
// types.proto (key = field << 3 | wire type; wire 0 varint, 2 length-delimited), not from our encoder.
const str = (field: number, s: string) => [(field << 3) | 2, Buffer.byteLength(s), ...Buffer.from(s)];
function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const int = (field: number, n: number) => [(field << 3) | 0, ...varint(n)];

describe('Pyroscope wire format', () => {
  test('SelectMergeProfileRequest uses fields 1-5 of the real schema', () => {
    const start = 1_700_000_000_000;
    const end = start + 60_000;
    const sel = '{namespace="shop", pod="catalog"}';
    const bytes = encodeSelectMergeProfileRequest({ profile_typeID: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', label_selector: sel, start, end, max_nodes: 16384 });
    const expected = [...str(1, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds'), ...str(2, sel), ...int(3, start), ...int(4, end), ...int(5, 16384)];
    assert.deepEqual([...bytes], expected);
    assert.deepEqual(decodeSelectMergeProfileRequest(Buffer.from(expected)), {
      profile_typeID: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
      label_selector: sel,
      start: String(start),
      end: String(end),
      max_nodes: '16384',
    });
    // Without max_nodes nothing is sent for field 5 (proto3 optional).
    assert.ok(!encodeSelectMergeProfileRequest({ profile_typeID: 'a', start: 1, end: 2 }).includes(5 << 3));
  });

  test('ProfileTypesRequest and LabelValuesRequest', () => {
    assert.deepEqual([...encodeProfileTypesRequest({ start: 10, end: 20 })], [...int(1, 10), ...int(2, 20)]);
    assert.deepEqual([...encodeLabelValuesRequest({ name: 'pod', matchers: ['{a="b"}'], start: 1, end: 2 })], [...str(1, 'pod'), ...str(2, '{a="b"}'), ...int(3, 1), ...int(4, 2)]);
  });

  test('ProfileTypesResponse and LabelValuesResponse decode hand-made bytes', () => {
    const type = [...str(1, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds'), ...str(2, 'process_cpu'), ...str(4, 'cpu'), ...str(5, 'nanoseconds'), ...str(6, 'cpu'), ...str(7, 'nanoseconds')];
    const res = decodeProfileTypesResponse(Buffer.from([10, type.length, ...type]));
    assert.deepEqual(res.profile_types, [
      { ID: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', name: 'process_cpu', sample_type: 'cpu', sample_unit: 'nanoseconds', period_type: 'cpu', period_unit: 'nanoseconds' },
    ]);
    assert.deepEqual(decodeLabelValuesResponse(Buffer.from([...str(1, 'a'), ...str(1, 'b')])).names, ['a', 'b']);
    assert.throws(() => decodeProfileTypesResponse(Buffer.from([10, 50, 1, 2])));
  });

  test('Connect error bodies', () => {
    assert.deepEqual(parseConnectError('application/json', Buffer.from('{"code":"unauthenticated","message":"no org id"}')), { code: 'unauthenticated', message: 'no org id' });
    assert.equal(parseConnectError('text/plain', Buffer.from('404 page not found')), undefined);
    assert.equal(parseConnectError('application/json', Buffer.from('{"code":"teapot"}')), undefined);
    assert.equal(parseConnectError('application/json', Buffer.from('{"kind":"Status"}')), undefined);
    assert.equal(connectCodeFromHttpStatus(401), 'unauthenticated');
    assert.equal(connectCodeFromHttpStatus(418), 'unknown');
  });
});
