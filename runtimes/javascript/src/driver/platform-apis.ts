/**
 * Web platform globals QuickJS-NG lacks, from well-kept npm implementations bundled at
 * build time (`structuredClone`: @ungap/structured-clone; `atob`/`btoa`: base-64;
 * `URL`/`URLSearchParams`: core-js-pure). Each global starts as an accessor; the first
 * access evaluates its bundle in the guest and replaces the accessors of that bundle's
 * globals with plain values, so a run that never touches them pays no fuel for them.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import BASE64 from "../../guest/platform/base64.js?guest-bundle";
import STRUCTURED_CLONE from "../../guest/platform/structured-clone.js?guest-bundle";
import URL_API from "../../guest/platform/url.js?guest-bundle";
import { GuestThrow } from "./host-functions.js";

/** Each bundle and the globals it provides. */
const BUNDLES: ReadonlyArray<{ readonly source: string; readonly name: string; readonly globals: readonly string[] }> = [
  { source: STRUCTURED_CLONE, name: "<structuredClone>", globals: ["structuredClone"] },
  { source: BASE64, name: "<base64>", globals: ["atob", "btoa"] },
  { source: URL_API, name: "<url>", globals: ["URL", "URLSearchParams"] },
];

/** Defines the lazy platform globals on the context's global object. */
export function installPlatformApis(vm: QuickJSContext): void {
  for (const bundle of BUNDLES) {
    let exports: QuickJSHandle | null = null;
    const load = (): QuickJSHandle => {
      if (exports !== null) return exports;
      // Plain data properties first: a bundle that probes its own global (typeof URL)
      // must see "undefined", not re-enter this accessor.
      for (const g of bundle.globals) vm.defineProp(vm.global, g, { value: vm.undefined, configurable: true, enumerable: false });
      const r = vm.evalCode(bundle.source, bundle.name);
      if (r.error) throw new GuestThrow(r.error);
      exports = r.value;
      for (const g of bundle.globals) vm.getProp(exports, g).consume((value) => vm.defineProp(vm.global, g, { value, configurable: true, enumerable: false }));
      return exports;
    };
    for (const g of bundle.globals) {
      vm.defineProp(vm.global, g, {
        configurable: true,
        enumerable: false,
        get: () => vm.getProp(load(), g),
        // A program that assigns the global itself gets its value, as with any writable global.
        set: (value) => vm.defineProp(vm.global, g, { value, configurable: true, enumerable: false }),
      });
    }
  }
}
