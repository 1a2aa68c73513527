/**
 * `TextEncoder` / `TextDecoder` (UTF-8 only), installed lazily: the globals start as
 * accessors, and the first access compiles the small guest classes (guest/text-codec.js)
 * over two host functions, so runs that never use them pay nothing.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import { GuestTypedError, type HostFunctions } from "./host-functions.js";
import textCodecJs from "../../guest/text-codec.js?raw";


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
    const factory = vm.unwrapResult(vm.evalCode(textCodecJs, "<sandbox>"));
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
