/**
 * The part of CPython's C API (as `pyodide.asm.wasm` exports it) the driver calls, typed,
 * and the few things done with it: PEP 741 initialization, running a string, and sealing
 * the table of built-in modules. Pointers are i32 numbers.
 */

/** The exports of the Python image the driver uses (everything else is filtered out). */
export interface CPythonExports {
  readonly memory: WebAssembly.Memory;
  readonly __indirect_function_table: WebAssembly.Table;
  readonly __wasm_call_ctors: () => void;
  readonly malloc: (size: number) => number;
  readonly free: (ptr: number) => void;
  readonly fflush: (stream: number) => number;
  readonly PyInitConfig_Create: () => number;
  readonly PyInitConfig_Free: (config: number) => void;
  readonly PyInitConfig_GetError: (config: number, out: number) => number;
  readonly PyInitConfig_SetInt: (config: number, name: number, value: bigint) => number;
  readonly PyInitConfig_SetStr: (config: number, name: number, value: number) => number;
  readonly PyInitConfig_SetStrList: (config: number, name: number, length: number, items: number) => number;
  readonly Py_InitializeFromInitConfig: (config: number) => number;
  readonly PyRun_SimpleStringFlags: (source: number, flags: number) => number;
  readonly PyImport_ImportModule: (name: number) => number;
  readonly PyObject_GetAttrString: (object: number, name: number) => number;
  readonly PyUnicode_FromStringAndSize: (text: number, size: number) => number;
  readonly PyObject_CallOneArg: (callable: number, arg: number) => number;
  readonly Py_DecRef: (object: number) => void;
  readonly PyErr_Print: () => void;
  readonly emscripten_stack_get_base: () => number;
  readonly emscripten_stack_get_end: () => number;
  readonly emscripten_stack_set_limits: (base: number, end: number) => void;
  /** Address of `PyImport_Inittab` (a pointer to the built-in module table). */
  readonly PyImport_Inittab: WebAssembly.Global;
}

/** Names of the exports above: the export filter keeps exactly these (and the meter's). */
export const CPYTHON_EXPORTS: readonly (keyof CPythonExports)[] = [
  "memory",
  "__indirect_function_table",
  "__wasm_call_ctors",
  "malloc",
  "free",
  "fflush",
  "PyInitConfig_Create",
  "PyInitConfig_Free",
  "PyInitConfig_GetError",
  "PyInitConfig_SetInt",
  "PyInitConfig_SetStr",
  "PyInitConfig_SetStrList",
  "Py_InitializeFromInitConfig",
  "PyRun_SimpleStringFlags",
  "PyImport_ImportModule",
  "PyObject_GetAttrString",
  "PyUnicode_FromStringAndSize",
  "PyObject_CallOneArg",
  "Py_DecRef",
  "PyErr_Print",
  "emscripten_stack_get_base",
  "emscripten_stack_get_end",
  "emscripten_stack_set_limits",
  "PyImport_Inittab",
];

/**
 * Narrows an instance's exports.
 * @throws TypeError naming the first missing export (another build of the binary).
 */
export function cpythonExports(instance: WebAssembly.Instance): CPythonExports {
  const ex = instance.exports as Record<string, unknown>;
  for (const name of CPYTHON_EXPORTS) {
    if (ex[name] === undefined) throw new TypeError(`pyodide.asm.wasm does not export ${name}: not the CPython build this runtime expects`);
  }
  return ex as unknown as CPythonExports;
}

const encoder = new TextEncoder();

/** A view of the instance's memory that survives growth. */
function bytes(ex: CPythonExports): Uint8Array {
  return new Uint8Array(ex.memory.buffer);
}

/** Copies `text` into the guest heap NUL-terminated; free it with `ex.free`. */
export function allocString(ex: CPythonExports, text: string): number {
  const data = encoder.encode(text);
  const ptr = ex.malloc(data.length + 1);
  if (ptr === 0) throw new RangeError("out of memory copying a string into the Python heap");
  const mem = bytes(ex);
  mem.set(data, ptr);
  mem[ptr + data.length] = 0;
  return ptr;
}

/** Runs `body` with `texts` copied into the guest heap, freeing them afterwards. */
export function withStrings<T>(ex: CPythonExports, texts: readonly string[], body: (ptrs: number[]) => T): T {
  const ptrs: number[] = [];
  try {
    for (const t of texts) ptrs.push(allocString(ex, t));
    return body(ptrs);
  } finally {
    for (const p of ptrs) ex.free(p);
  }
}

/** Values of a PEP 741 configuration. */
export interface InitConfig {
  readonly ints: Readonly<Record<string, number>>;
  readonly strings: Readonly<Record<string, string>>;
  readonly lists: Readonly<Record<string, readonly string[]>>;
}

/**
 * Initializes the interpreter (`PyInitConfig_*` + `Py_InitializeFromInitConfig`).
 * @throws Error with CPython's own message when a value is refused or initialization fails.
 */
export function initialize(ex: CPythonExports, config: InitConfig): void {
  const cfg = ex.PyInitConfig_Create();
  if (cfg === 0) throw new RangeError("PyInitConfig_Create failed (out of memory)");
  try {
    const check = (status: number, what: string): void => {
      if (status !== 0) throw new Error(`CPython refused ${what}: ${configError(ex, cfg)}`);
    };
    for (const [name, value] of Object.entries(config.ints)) {
      withStrings(ex, [name], ([n]) => check(ex.PyInitConfig_SetInt(cfg, n!, BigInt(value)), `${name}=${value}`));
    }
    for (const [name, value] of Object.entries(config.strings)) {
      withStrings(ex, [name, value], ([n, v]) => check(ex.PyInitConfig_SetStr(cfg, n!, v!), `${name}=${value}`));
    }
    for (const [name, items] of Object.entries(config.lists)) {
      withStrings(ex, [name, ...items], ([n, ...ptrs]) => {
        const array = ex.malloc(4 * Math.max(1, ptrs.length));
        try {
          const view = new DataView(ex.memory.buffer);
          ptrs.forEach((p, i) => view.setUint32(array + 4 * i, p, true));
          check(ex.PyInitConfig_SetStrList(cfg, n!, ptrs.length, array), name);
        } finally {
          ex.free(array);
        }
      });
    }
    check(ex.Py_InitializeFromInitConfig(cfg), "initialization");
  } finally {
    ex.PyInitConfig_Free(cfg);
  }
}

function configError(ex: CPythonExports, cfg: number): string {
  const out = ex.malloc(4);
  try {
    if (ex.PyInitConfig_GetError(cfg, out) === 0) return "(no message)";
    const ptr = new DataView(ex.memory.buffer).getUint32(out, true);
    const mem = bytes(ex);
    const end = mem.indexOf(0, ptr);
    return new TextDecoder().decode(mem.subarray(ptr, end < 0 ? ptr : end));
  } finally {
    ex.free(out);
  }
}

/** Runs Python source in `__main__` (`PyRun_SimpleStringFlags`): 0, or -1 after printing the exception. */
export function runString(ex: CPythonExports, source: string): number {
  return withStrings(ex, [source], ([src]) => ex.PyRun_SimpleStringFlags(src!, 0));
}

/**
 * Calls `module.name(text)` with one `str` argument, through the C API: nothing is
 * compiled (a source string passed to `runString` is parsed and compiled on every call,
 * which for the per-run call cost more fuel than the rest of an empty run). The module
 * must be importable (normally already in `sys.modules`). Returns 0, or -1 after printing
 * the exception, like `runString`.
 *
 * Nothing is released when a JavaScript exception (the guest's `os._exit`, a trap) unwinds
 * through the call: that instance is never entered again.
 */
export function callFunction(ex: CPythonExports, module: string, name: string, text: string): number {
  const mod = allocString(ex, module);
  const fn = allocString(ex, name);
  const arg = allocBytes(ex, encoder.encode(text));
  const owned: number[] = [];
  const step = (object: number): boolean => {
    if (object !== 0) owned.push(object);
    return object !== 0;
  };
  let status = -1;
  if (step(ex.PyImport_ImportModule(mod)) && step(ex.PyObject_GetAttrString(owned[0]!, fn)) && step(ex.PyUnicode_FromStringAndSize(arg.ptr, arg.length))) {
    const result = ex.PyObject_CallOneArg(owned[1]!, owned[2]!);
    if (result !== 0) {
      ex.Py_DecRef(result);
      status = 0;
    }
  }
  if (status !== 0) ex.PyErr_Print();
  for (const object of owned.reverse()) ex.Py_DecRef(object);
  for (const ptr of [mod, fn, arg.ptr]) ex.free(ptr);
  return status;
}

/** Copies `data` into the guest heap (not NUL-terminated); free `ptr` with `ex.free`. */
function allocBytes(ex: CPythonExports, data: Uint8Array): { readonly ptr: number; readonly length: number } {
  const ptr = ex.malloc(Math.max(1, data.length));
  if (ptr === 0) throw new RangeError("out of memory copying bytes into the Python heap");
  bytes(ex).set(data, ptr);
  return { ptr, length: data.length };
}

/**
 * Removes the named modules from CPython's table of built-in modules before
 * initialization, so `import` (and `importlib`, `sys.modules` tricks, `_imp`) can never
 * create them: to the interpreter they do not exist. Returns the names removed.
 */
export function sealBuiltinModules(ex: CPythonExports, sealed: ReadonlySet<string>): string[] {
  const view = (): DataView => new DataView(ex.memory.buffer);
  const table = view().getUint32(ex.PyImport_Inittab.value as number, true);
  const removed: string[] = [];
  const entries: [number, number][] = [];
  for (let p = table; ; p += 8) {
    const name = view().getUint32(p, true);
    if (name === 0) break;
    const mem = bytes(ex);
    const text = new TextDecoder().decode(mem.subarray(name, mem.indexOf(0, name)));
    if (sealed.has(text)) removed.push(text);
    else entries.push([name, view().getUint32(p + 4, true)]);
  }
  // Compact in place and terminate with a zero entry.
  entries.push([0, 0]);
  entries.forEach(([name, init], i) => {
    view().setUint32(table + 8 * i, name, true);
    view().setUint32(table + 8 * i + 4, init, true);
  });
  return removed;
}
