// .proto files are bundled as text (scripts/build.mjs) and parsed with protobufjs at run time.
declare module '*.proto' {
  const text: string;
  export default text;
}
