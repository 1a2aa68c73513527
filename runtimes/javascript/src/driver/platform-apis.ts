/**
 * Web platform globals QuickJS-NG lacks, from well-kept npm implementations bundled at
 * build time (`structuredClone`: @ungap/structured-clone; `atob`/`btoa`: base-64;
 * `URL`/`URLSearchParams`: core-js-pure) and our compact `Intl` (guest/platform/intl.js:
 * the formatjs polyfills cost more than a default fuel budget to evaluate). Each global
 * starts as an accessor; the first access evaluates its bundle in the guest and replaces
 * the accessors of that bundle's globals with plain values, so a run that never touches
 * them pays no fuel for them. The locale-aware prototype methods (`toLocaleString`,
 * `localeCompare`, …) start as host stubs that load `Intl` and call its versions.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import BASE64 from "../../guest/platform/base64.js?guest-bundle";
import INTL from "../../guest/platform/intl.js?guest-bundle";
import STRUCTURED_CLONE from "../../guest/platform/structured-clone.js?guest-bundle";
import URL_API from "../../guest/platform/url.js?guest-bundle";
import { GuestThrow } from "./host-functions.js";

/** Each bundle and the globals it provides. */
const BUNDLES: ReadonlyArray<{ readonly source: string; readonly name: string; readonly globals: readonly string[] }> = [
  { source: STRUCTURED_CLONE, name: "<structuredClone>", globals: ["structuredClone"] },
  { source: BASE64, name: "<base64>", globals: ["atob", "btoa"] },
  { source: URL_API, name: "<url>", globals: ["URL", "URLSearchParams"] },
  { source: INTL, name: "<intl>", globals: ["Intl"] },
];

/** Prototype methods the Intl bundle replaces when it is evaluated. */
const LOCALE_METHODS: ReadonlyArray<readonly [string, string]> = [
  ["Number", "toLocaleString"],
  ["BigInt", "toLocaleString"],
  ["Date", "toLocaleString"],
  ["Date", "toLocaleDateString"],
  ["Date", "toLocaleTimeString"],
  ["String", "localeCompare"],
];

/** Defines the lazy platform globals on the context's global object. */
export function installPlatformApis(vm: QuickJSContext): void {
  let definer: QuickJSHandle | null = null;
  // A writable, configurable, non-enumerable data property, as the built-in globals are.
  const setGlobal = (name: string, value: QuickJSHandle): void => {
    definer ??= vm.unwrapResult(vm.evalCode("(function (o, k, v) { Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false }); })", "<sandbox>"));
    vm.newString(name).consume((k) => vm.unwrapResult(vm.callFunction(definer!, vm.undefined, vm.global, k, value)).dispose());
  };
  let loadIntl: (() => QuickJSHandle) | null = null;
  for (const bundle of BUNDLES) {
    let exports: QuickJSHandle | null = null;
    const load = (): QuickJSHandle => {
      if (exports !== null) return exports;
      // Plain data properties first: a bundle that probes its own global (typeof URL)
      // must see "undefined", not re-enter this accessor.
      for (const g of bundle.globals) setGlobal(g, vm.undefined);
      const r = vm.evalCode(bundle.source, bundle.name);
      if (r.error) throw new GuestThrow(r.error);
      exports = r.value;
      for (const g of bundle.globals) vm.getProp(exports, g).consume((value) => setGlobal(g, value));
      return exports;
    };
    if (bundle.globals.includes("Intl")) loadIntl = load;
    for (const g of bundle.globals) {
      vm.defineProp(vm.global, g, {
        configurable: true,
        enumerable: false,
        get: () => vm.getProp(load(), g),
        // A program that assigns the global itself gets its value, as with any writable global.
        set: (value) => setGlobal(g, value),
      });
    }
  }
  if (loadIntl !== null) installLocaleStubs(vm, loadIntl);
}

/** Host stubs for the locale-aware prototype methods: the first call loads Intl, whose versions replace them. */
function installLocaleStubs(vm: QuickJSContext, loadIntl: () => QuickJSHandle): void {
  const prototypeOf = (ctor: string): QuickJSHandle => vm.getProp(vm.global, ctor).consume((c) => vm.getProp(c, "prototype"));
  for (const [ctor, method] of LOCALE_METHODS) {
    const stub = vm.newFunction(method, function (this: QuickJSHandle, ...args: QuickJSHandle[]) {
      try {
        loadIntl();
      } catch (e) {
        if (e instanceof GuestThrow) return { error: e.handle };
        throw e;
      }
      const real = prototypeOf(ctor).consume((p) => vm.getProp(p, method));
      const r = vm.callFunction(real, this, ...args);
      real.dispose();
      return r;
    });
    prototypeOf(ctor).consume((proto) => vm.defineProp(proto, method, { value: stub, configurable: true, enumerable: false }));
    stub.dispose();
  }
}
