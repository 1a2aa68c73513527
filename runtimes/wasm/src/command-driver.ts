/**
 * Worker-side driver for core modules: meters and compiles the user's module here, in the
 * worker under the run's wall clock (never on the host's main thread), instantiates it
 * (capped memory, WASI, fuel), runs its deferred start function if it had one (see
 * DEFERRED_START_EXPORT), then `_start`. `proc_exit` ends either with its code. Built as
 * its own entry (dist/command-driver.js).
 */
import { defineDriver, instrumentModule, MeterError, ProcExit, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { parseCommandDriverData, type CommandDriverData } from "./command-driver-data.js";

/** Kept in sync with module-check.ts (a driver bundle should not pull the checker in). */
const DEFERRED_START = "__llm_deferred_start";

export default defineDriver({ parse: parseCommandDriverData, run: runCommand });

function runCommand(ctx: GuestContext, data: CommandDriverData): number {
  let metered;
  try {
    metered = instrumentModule(data.bytes);
  } catch (error) {
    if (!(error instanceof MeterError)) throw error;
    const message = `the module cannot be metered: ${error.message}`;
    ctx.control.report({ kind: "error", name: "ModuleRefused", message });
    ctx.writeStderr(new TextEncoder().encode(`ModuleRefused: ${message}\n`));
    return 1;
  }
  const module = new WebAssembly.Module(metered.bytes);
  const instance = ctx.instantiate({}, { name: data.name, module, memory: metered.memory, fuelExport: metered.fuelExport, growFailedExport: metered.growFailedExport });
  try {
    const deferred = instance.exports[DEFERRED_START];
    if (typeof deferred === "function") (deferred as () => void)();
    (instance.exports._start as () => void)();
    return 0;
  } catch (error) {
    if (ProcExit.isInstance(error)) return error.exitCode;
    throw error;
  }
}
