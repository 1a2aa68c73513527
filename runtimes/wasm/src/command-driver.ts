/**
 * Worker-side driver for core modules: instantiate (metered, capped memory, WASI), run
 * the module's deferred start function if it had one (see DEFERRED_START_EXPORT), then
 * `_start`. `proc_exit` ends either with its code. Built as its own entry
 * (dist/command-driver.js).
 */
import { ProcExit, type GuestDriver } from "@llm-wasm-sandbox/wasi-host";

/** Kept in sync with module-check.ts (a driver bundle should not pull the checker in). */
const DEFERRED_START = "__llm_deferred_start";

const commandDriver: GuestDriver = (ctx) => {
  const instance = ctx.instantiate();
  try {
    const deferred = instance.exports[DEFERRED_START];
    if (typeof deferred === "function") (deferred as () => void)();
    (instance.exports._start as () => void)();
    return 0;
  } catch (error) {
    if (ProcExit.isInstance(error)) return error.exitCode;
    throw error;
  }
};

export default commandDriver;
