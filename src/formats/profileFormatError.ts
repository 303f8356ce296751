// The one error every decoder throws for input it cannot read. Its message is shown to the user as is,
// so it says what is wrong with the input and what to do about it; `detail` keeps the low-level cause
// (a protobuf or zlib message) for logs without making the user read it.

export class ProfileFormatError extends Error {
  override readonly name = 'ProfileFormatError';

  constructor(
    message: string,
    /** Low-level cause (e.g. "index out of range: 812 + 10 > 815"), for the output channel. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** Prefixes a message with the input's name when known: `go-cpu.pb.gz: ...`. */
export function withSource(source: string | undefined, message: string): string {
  return source ? `${source}: ${message}` : message;
}
