// A deliberately separate, hand-rolled reader of the pprof protobuf wire format (no protobufjs), so tests
// can check decodePprof's numbers against an independent computation. Only the fields tests need.
import { gunzipSync } from 'node:zlib';

export interface WireProfile {
  sampleTypes: Array<{ type: string; unit: string }>;
  samples: Array<{ locationIds: number[]; values: number[] }>;
  locations: Map<number, Array<{ functionId: number; line: number }>>;
  functions: Map<number, { name: string; file: string; startLine: number }>;
  strings: string[];
  durationNanos: number;
  timeNanos: bigint;
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('varint past end');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  num(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }
  /** Iterates fields: calls visit(field, wireType, sub) where sub is a Reader over LEN payloads. */
  fields(visit: (field: number, wire: number, r: Reader, sub?: Reader) => void): void {
    while (this.pos < this.end) {
      const key = Number(this.varint());
      const field = key >>> 3;
      const wire = key & 7;
      if (wire === 2) {
        const len = Number(this.varint());
        const sub = new Reader(this.buf, this.pos + len);
        sub.pos = this.pos;
        this.pos += len;
        visit(field, wire, this, sub);
      } else if (wire === 0) {
        const before = this.pos;
        visit(field, wire, this);
        if (this.pos === before) this.varint(); // a field the caller does not read
      } else if (wire === 1) {
        this.pos += 8;
      } else if (wire === 5) {
        this.pos += 4;
      } else throw new Error(`wire type ${wire}`);
    }
  }
}

/** Repeated scalar: packed (LEN) or one varint. */
function repeated(wire: number, r: Reader, sub: Reader | undefined, out: number[]): void {
  if (wire === 2) while (sub!.pos < sub!.end) out.push(sub!.num());
  else out.push(r.num());
}

export function readPprofWire(fileBytes: Uint8Array): WireProfile {
  const buf = fileBytes[0] === 0x1f && fileBytes[1] === 0x8b ? new Uint8Array(gunzipSync(fileBytes)) : fileBytes;
  const p: WireProfile = { sampleTypes: [], samples: [], locations: new Map(), functions: new Map(), strings: [], durationNanos: 0, timeNanos: 0n };
  const rawTypes: Array<[number, number]> = [];
  const rawFns: Array<[number, number, number, number]> = [];
  new Reader(buf).fields((field, wire, r, sub) => {
    if (field === 1 && sub) {
      const t: [number, number] = [0, 0];
      sub.fields((f, _w, rr) => { if (f === 1) t[0] = rr.num(); if (f === 2) t[1] = rr.num(); });
      rawTypes.push(t);
    } else if (field === 2 && sub) {
      const s = { locationIds: [] as number[], values: [] as number[] };
      sub.fields((f, w, rr, ss) => { if (f === 1) repeated(w, rr, ss, s.locationIds); if (f === 2) repeated(w, rr, ss, s.values); });
      p.samples.push(s);
    } else if (field === 4 && sub) {
      let id = 0;
      const lines: Array<{ functionId: number; line: number }> = [];
      sub.fields((f, _w, rr, ss) => {
        if (f === 1) id = rr.num();
        if (f === 4 && ss) {
          const l = { functionId: 0, line: 0 };
          ss.fields((ff, _ww, rrr) => { if (ff === 1) l.functionId = rrr.num(); if (ff === 2) l.line = rrr.num(); });
          lines.push(l);
        }
      });
      p.locations.set(id, lines);
    } else if (field === 5 && sub) {
      const fn: [number, number, number, number] = [0, 0, 0, 0];
      sub.fields((f, _w, rr) => { if (f === 1) fn[0] = rr.num(); if (f === 2) fn[1] = rr.num(); if (f === 4) fn[2] = rr.num(); if (f === 5) fn[3] = rr.num(); });
      rawFns.push(fn);
    } else if (field === 6 && sub) {
      p.strings.push(new TextDecoder().decode(buf.subarray(sub.pos, sub.end)));
    } else if (field === 9 && wire === 0) {
      p.timeNanos = BigInt.asIntN(64, r.varint());
    } else if (field === 10 && wire === 0) {
      p.durationNanos = r.num();
    }
  });
  p.sampleTypes = rawTypes.map(([t, u]) => ({ type: p.strings[t], unit: p.strings[u] }));
  for (const [id, name, file, start] of rawFns) p.functions.set(id, { name: p.strings[name], file: p.strings[file], startLine: start });
  return p;
}

/** Each sample's frames root first as "name|file|line", inlined lines expanded (last Line = outermost). */
export function wireStacks(p: WireProfile, valueIndex: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of p.samples) {
    const leafFirst: string[] = [];
    for (const id of s.locationIds) {
      for (const l of p.locations.get(id)!) {
        const fn = p.functions.get(l.functionId)!;
        leafFirst.push(`${fn.name}|${fn.file}|${l.line}`);
      }
    }
    const key = leafFirst.reverse().join(';');
    out.set(key, (out.get(key) ?? 0) + s.values[valueIndex]);
  }
  return out;
}
