// The one runtime global the decoders use. TextDecoder is in every runtime
// this package targets (Node >= 11, Workers, browsers, Deno, Bun) but not in
// the ES library typings, and `types: []` keeps Node's typings out on purpose.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
