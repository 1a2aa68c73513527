/**
 * Emscripten's setjmp/longjmp over JavaScript exceptions. `longjmp` records the target in
 * the module's own `__THREW__` slot and calls `_emscripten_throw_longjmp`, which throws;
 * the nearest `invoke_*` import (the JS frame around every call that may longjmp)
 * catches it, restores the shadow-stack pointer and calls `setThrew` so the code after
 * the call can find its setjmp buffer. Lua's `error` and `pcall` are built on this.
 */

/** The exports the invoke wrappers need, bound after instantiation. */
export interface SjljExports {
  readonly stackSave: () => number;
  readonly stackRestore: (sp: number) => void;
  readonly setThrew: (threw: number, value: number) => void;
  readonly __indirect_function_table: WebAssembly.Table;
}

/** What `_emscripten_throw_longjmp` throws: a number, as in emscripten, so it can never be confused with an Error. */
const LONGJMP = Infinity;

/** True for the longjmp marker; anything else (traps, ProcExit, RangeError) is rethrown. */
function isLongjmp(e: unknown): boolean {
  return e === LONGJMP;
}

type TableFn = (...args: number[]) => number | bigint | undefined;

/**
 * Creates `_emscripten_throw_longjmp` and one `invoke_<sig>` per name in `invokeNames`.
 * `exports()` is called lazily: the imports exist before the instance does.
 */
export function createSjljImports(invokeNames: readonly string[], exports: () => SjljExports): Record<string, (...args: never[]) => unknown> {
  const cache: TableFn[] = [];
  const entry = (index: number): TableFn => {
    let fn = cache[index];
    if (fn === undefined) {
      const got = exports().__indirect_function_table.get(index) as TableFn | null;
      if (got === null) throw new WebAssembly.RuntimeError(`indirect call to null table entry ${index}`);
      fn = got;
      cache[index] = fn;
    }
    return fn;
  };
  const imports: Record<string, (...args: never[]) => unknown> = {
    _emscripten_throw_longjmp: (): never => {
      throw LONGJMP;
    },
  };
  for (const name of invokeNames) {
    const returnsValue = !name.startsWith("invoke_v");
    const returnsI64 = name.startsWith("invoke_j");
    // The two-argument void case is Lua's luaD_rawrunprotected: kept free of rest-args.
    imports[name] =
      name === "invoke_vii"
        ? (index: number, a: number, b: number): void => {
            const ex = exports();
            const sp = ex.stackSave();
            try {
              entry(index)(a, b);
            } catch (e) {
              ex.stackRestore(sp);
              if (!isLongjmp(e)) throw e;
              ex.setThrew(1, 0);
            }
          }
        : (index: number, ...args: number[]): number | bigint | undefined => {
            const ex = exports();
            const sp = ex.stackSave();
            try {
              const r = entry(index)(...args);
              return returnsValue ? r : undefined;
            } catch (e) {
              ex.stackRestore(sp);
              if (!isLongjmp(e)) throw e;
              ex.setThrew(1, 0);
              return returnsI64 ? 0n : returnsValue ? 0 : undefined;
            }
          };
  }
  return imports;
}
