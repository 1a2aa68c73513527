// `TextEncoder` / `TextDecoder` (UTF-8 only) over two host functions, `enc(string) ->
// ArrayBuffer` and `dec(ArrayBuffer, fatal, ignoreBOM) -> string`. The script's value is a
// function taking them and returning both classes; src/driver/text-codec.ts (which inlines
// this file at build time) installs them lazily, on first access.
(function (enc, dec) {
  "use strict";
  function bytesOf(input) {
    if (input === undefined) return new Uint8Array(0);
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError("TextDecoder.decode: expected an ArrayBuffer or a typed array");
  }
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input) { return new Uint8Array(enc(input === undefined ? "" : String(input))); }
  }
  class TextDecoder {
    constructor(label, options) {
      var l = label === undefined ? "utf-8" : String(label).trim().toLowerCase();
      if (l !== "utf-8" && l !== "utf8" && l !== "unicode-1-1-utf-8") throw new RangeError("TextDecoder: only utf-8 is supported in the sandbox, not " + label);
      this.fatal = !!(options && options.fatal);
      this.ignoreBOM = !!(options && options.ignoreBOM);
    }
    get encoding() { return "utf-8"; }
    decode(input) { return dec(bytesOf(input).slice().buffer, this.fatal, this.ignoreBOM); }
  }
  return { TextEncoder: TextEncoder, TextDecoder: TextDecoder };
})
