/**
 * The few exports of ruby.wasm's reactor (`rb-abi-guest`, wit-bindgen's legacy canonical
 * ABI) the sandbox calls, and the imports it must satisfy. Strings are lowered by
 * allocating with `cabi_realloc` and writing UTF-8; results come back through a
 * return area in guest memory.
 *
 * Every `rb-js-abi-host` import is denied: ruby.wasm's `js` gem reaches host JavaScript
 * only through them, so a guest that gets past the bootstrap's `require "js"` guard still
 * cannot touch the host: the call traps.
 */

const EVAL = "rb-eval-string-protect: func(str: string) -> tuple<handle<rb-abi-value>, s32>";
const INIT = "ruby-init: func(args: list<string>) -> ()";
const JS_HOST_MODULE = "rb-js-abi-host";
const encoder = new TextEncoder();

/** The module's exports this file relies on. */
interface RubyExports {
  readonly cabi_realloc: (ptr: number, oldSize: number, align: number, newSize: number) => number;
  readonly _initialize: () => void;
  readonly [name: string]: unknown;
}

/**
 * Imports other than WASI and memory: the resource table of `rb-abi-value` handles and
 * the denied JavaScript bridge, built from the module's own import list so a future
 * ruby.wasm with more bridge functions is denied as well.
 */
export function rubyImports(module: WebAssembly.Module, handles: number[] = []): WebAssembly.Imports {
  const denied: Record<string, () => never> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === JS_HOST_MODULE && imp.kind === "function") denied[imp.name] = denyJs(imp.name);
  }
  // Handles of Ruby values returned by the exports (`handles`); the sandbox reads only a
  // run's exit status from them, so a growing array for one instance is enough.
  return {
    [JS_HOST_MODULE]: denied,
    canonical_abi: {
      "resource_new_rb-abi-value": (value: number) => handles.push(value) - 1,
      "resource_get_rb-abi-value": (handle: number) => handles[handle] ?? 0,
      // No JS values ever exist (the bridge is denied), so there is nothing to drop.
      "resource_drop_js-abi-value": () => undefined,
    },
  };
}

/** Runs the reactor's constructors (wasi-libc, wasi-vfs). */
export function initializeReactor(instance: WebAssembly.Instance): void {
  exportsOf(instance)._initialize();
}

/** Calls `ruby-init` with C-style arguments (`argv[0]` first). */
export function rubyInit(instance: WebAssembly.Instance, memory: WebAssembly.Memory, args: readonly string[]): void {
  const ex = exportsOf(instance);
  const list = ex.cabi_realloc(0, 0, 4, args.length * 8);
  args.forEach((arg, i) => {
    const [ptr, len] = lowerString(ex, memory, `${arg}\0`);
    const view = new DataView(memory.buffer);
    view.setInt32(list + i * 8, ptr, true);
    view.setInt32(list + i * 8 + 4, len, true);
  });
  callExport(ex, INIT)(list, args.length);
}

/**
 * Evaluates Ruby source at the top level with `rb_eval_string_protect`.
 * @returns The protect state: 0 when the code returned normally, a Ruby tag otherwise.
 */
export function evalString(instance: WebAssembly.Instance, memory: WebAssembly.Memory, source: string): number {
  const ex = exportsOf(instance);
  const [ptr, len] = lowerString(ex, memory, `${source}\0`);
  const ret = callExport(ex, EVAL)(ptr, len) as number;
  return new DataView(memory.buffer).getInt32(ret + 4, true);
}

/**
 * Evaluates Ruby source like `evalString` and reads its result as an Integer (a Fixnum
 * VALUE from `handles`, the table given to `rubyImports`).
 * @returns The protect state and the integer, or null when the result is not a Fixnum.
 */
export function evalInteger(instance: WebAssembly.Instance, memory: WebAssembly.Memory, source: string, handles: readonly number[]): { state: number; value: number | null } {
  const ex = exportsOf(instance);
  const [ptr, len] = lowerString(ex, memory, `${source}\0`);
  const ret = callExport(ex, EVAL)(ptr, len) as number;
  const view = new DataView(memory.buffer);
  const state = view.getInt32(ret + 4, true);
  const value = handles[view.getInt32(ret, true)];
  // A Fixnum VALUE is (n << 1) | 1.
  return { state, value: state === 0 && value !== undefined && (value & 1) === 1 ? value >> 1 : null };
}

function lowerString(ex: RubyExports, memory: WebAssembly.Memory, s: string): [number, number] {
  const bytes = encoder.encode(s);
  const ptr = ex.cabi_realloc(0, 0, 1, bytes.length);
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

function exportsOf(instance: WebAssembly.Instance): RubyExports {
  return instance.exports as unknown as RubyExports;
}

function callExport(ex: RubyExports, name: string): (...args: number[]) => unknown {
  const fn = ex[name];
  if (typeof fn !== "function") throw new Error(`ruby.wasm has no export "${name}" — unsupported @ruby/3.4-wasm-wasi build`);
  return fn as (...args: number[]) => unknown;
}

const jsDeniedMarker = Symbol.for("llm-wasm-sandbox.ruby.JsBridgeDenied");

/** True for the error a denied `rb-js-abi-host` import throws. */
export function isJsBridgeDenied(error: unknown): error is WebAssembly.RuntimeError {
  return typeof error === "object" && error !== null && jsDeniedMarker in error;
}

function denyJs(name: string): () => never {
  const short = name.split(":")[0] ?? name;
  return () => {
    // A RuntimeError, so that if it ever escapes the driver it is reported as a guest
    // trap, which is what this is: the guest asked for something the sandbox never provides.
    const error = new WebAssembly.RuntimeError(`host JavaScript is not available in the sandbox (rb-js-abi-host ${short} denied)`);
    Object.defineProperty(error, jsDeniedMarker, { value: true });
    throw error;
  };
}
