// Encode/decode functions for the agents' protobuf messages (Pixie, Pyroscope, Parca), made from a protobufjs
// Type looked up lazily (the .proto text is parsed on first use). Messages are plain objects with the
// wire's snake_case names; how int64, enums and bytes come out of a decode is each protocol's choice.
import type * as protobuf from 'protobufjs';

export function protoEncoder<T extends object>(pick: () => protobuf.Type): (msg: T) => Buffer {
  return (msg) => {
    const t = pick();
    return Buffer.from(t.encode(t.fromObject(msg as Record<string, unknown>)).finish());
  };
}

/** Decoders throw protobufjs errors on malformed input; callers map them to a 'bad-response' error. */
export function protoDecoder<T>(pick: () => protobuf.Type, toObjectOptions: protobuf.IConversionOptions): (buf: Uint8Array) => T {
  return (buf) => {
    const t = pick();
    return t.toObject(t.decode(buf), toObjectOptions) as T;
  };
}
