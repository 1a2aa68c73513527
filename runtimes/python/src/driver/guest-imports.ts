/**
 * The imports of `pyodide.asm.wasm` that are not emscripten's own: CPython's emscripten
 * hooks, and Pyodide's JavaScript FFI — which the sandbox never provides.
 *
 * Every FFI import (`JsProxy_*`, `hiwire_*`, `python2js*`, libffi's `ffi_call_js`, …)
 * fails closed: calling it ends the run with a `JsBridgeDenied` error that says why. The
 * module that calls them (`_pyodide_core`, the `js` module) is never registered, and
 * `_ctypes` is removed from the built-in modules (see `SEALED_MODULES`), so in practice
 * Python code gets a ModuleNotFoundError long before any of these could be reached; the
 * stubs are the second wall. A few are hooks Pyodide put in front of ordinary syscalls
 * (for its Node socket emulation) and answer "not handled here", so the sandbox's own
 * syscall runs: `_try_fcntl64`, `_try_shutdown` (0) and `_maybe_*_async` (a null
 * reference); `__hiwire_deduplicate_new`, called at start-up, gets a null reference.
 *
 * The binary's `GOT.func` imports (a main module's slots for functions other modules
 * would provide) are defined in the module by the image rewrite (`define-got-globals.ts`).
 */

/** The error every denied import throws. */
export class JsBridgeDenied extends Error {
  override readonly name = "JsBridgeDenied";
  constructor(readonly importName: string) {
    super(`Python tried to reach host JavaScript through ${importName}, which the sandbox does not provide`);
  }
}

/** True for a JsBridgeDenied from any bundle. */
export function isJsBridgeDenied(e: unknown): e is JsBridgeDenied {
  return e instanceof Error && e.name === "JsBridgeDenied";
}

/**
 * Built-in modules removed before initialization: `_ctypes` (libffi calls host
 * JavaScript), CPython's test and debugging modules (raw memory access, crash helpers),
 * and process spawning (never works; gone is clearer).
 */
export const SEALED_MODULES: ReadonlySet<string> = new Set([
  "_ctypes",
  "_testbuffer",
  "_testcapi",
  "_testclinic",
  "_testclinic_limited",
  "_testinternalcapi",
  "_testlimitedcapi",
  "_xxtestfuzz",
  "xxsubtype",
  "_remote_debugging",
  "_posixsubprocess",
]);

/** What the Python imports need from the run. */
export interface PythonImportOptions {
  /** The instance's function table, once it exists. */
  readonly table: () => WebAssembly.Table;
  /** Copies a string into the guest heap (for `_Py_emscripten_runtime`). */
  readonly allocString: (text: string) => number;
}

/** `sys._emscripten_info.runtime` (where Pyodide would name the JavaScript engine). */
export const RUNTIME_NAME = "llm-wasm-sandbox";

type TrampolineTarget = (a: number, b: number, c: number) => number;

/**
 * The CPython hooks. `_PyEM_TrampolineCall_JS` calls a function pointer through the table
 * with three arguments whatever its arity (what a JavaScript call does), which CPython
 * uses for C functions whose signature does not match the call site.
 */
export function createCPythonHooks(o: PythonImportOptions): Record<string, (...args: never[]) => unknown> {
  let runtimeName = 0;
  return {
    _PyEM_TrampolineCall_JS: (fn: number, a: number, b: number, c: number): number => (o.table().get(fn) as TrampolineTarget)(a, b, c),
    _Py_CheckEmscriptenSignals_Helper: (): number => 0,
    _Py_emscripten_runtime: (): number => (runtimeName ||= o.allocString(RUNTIME_NAME)),
    __hiwire_deduplicate_new: (): null => null,
    _try_fcntl64: (): number => 0,
    _try_shutdown: (): number => 0,
    _maybe_poll_async: (): null => null,
    _maybe_connect_async: (): null => null,
    _maybe_recvfrom_async: (): null => null,
    _maybe_sendto_async: (): null => null,
  };
}

const denied = new Map<string, () => never>();

/**
 * The emscripten layer's fallback for imports it lacks: a fail-closed stub for every
 * `env` function (the FFI); anything else stays missing (and the layer refuses the binary).
 */
export function pythonFallback(module: string, name: string, kind: WebAssembly.ImportExportKind): WebAssembly.ImportValue | undefined {
  if (module === "env" && kind === "function") {
    // Stateless, so made once per thread rather than ~300 new closures per run.
    let deny = denied.get(name);
    if (deny === undefined) {
      deny = () => {
        throw new JsBridgeDenied(name);
      };
      denied.set(name, deny);
    }
    return deny;
  }
  return undefined;
}
