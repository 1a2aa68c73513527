/**
 * `TextEncoder` / `TextDecoder` (UTF-8 only), installed lazily: the globals start as
 * accessors, and the first access compiles the small guest classes over two host
 * functions, so runs that never use them pay nothing.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import { GuestTypedError, type HostFunctions } from "./host-functions.js";

const CLASSES = String.raw`(function (enc, dec) {
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
})`;

const encoder = new TextEncoder();

/** Defines the lazy `TextEncoder` and `TextDecoder` globals. */
export function installTextCodec(vm: QuickJSContext, host: HostFunctions): void {
  let classes: QuickJSHandle | null = null;
  const load = (): QuickJSHandle => {
    if (classes !== null) return classes;
    const fns = vm.newObject();
    host.define(fns, "enc", (s) => vm.newArrayBuffer(encoder.encode(s === undefined ? "" : vm.getString(s)).buffer));
    host.define(fns, "dec", (ab, fatal, ignoreBOM) => {
      const view = vm.getArrayBuffer(ab!);
      try {
        const decoder = new TextDecoder("utf-8", { fatal: vm.dump(fatal!) === true, ignoreBOM: vm.dump(ignoreBOM!) === true });
        return vm.newString(decoder.decode(view.value));
      } catch {
        throw new GuestTypedError("TypeError", "TextDecoder.decode: the data is not valid UTF-8");
      } finally {
        view.dispose();
      }
    });
    const factory = vm.unwrapResult(vm.evalCode(CLASSES, "<sandbox>"));
    const enc = vm.getProp(fns, "enc");
    const dec = vm.getProp(fns, "dec");
    classes = vm.unwrapResult(vm.callFunction(factory, vm.undefined, enc, dec));
    for (const name of ["TextEncoder", "TextDecoder"]) {
      vm.getProp(classes, name).consume((value) => vm.defineProp(vm.global, name, { value, configurable: true, enumerable: false }));
    }
    return classes;
  };
  for (const name of ["TextEncoder", "TextDecoder"]) {
    vm.defineProp(vm.global, name, { configurable: true, enumerable: false, get: () => vm.getProp(load(), name) });
  }
}
