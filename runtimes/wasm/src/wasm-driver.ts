/**
 * Worker-side driver of the WebAssembly runtime (built to dist/wasm-driver.js): prepares
 * the user's input here, in the worker under the run's wall clock (decode or parse,
 * check, meter, compile — see prepare-input.ts), then runs it: a core module as a WASI
 * command (its deferred start function first, then `_start`), a component through
 * `wasi:cli/run`. Inputs it cannot run are reported on the control channel and end the
 * run with exit code 1. Prepared modules are kept per worker thread, bounded by bytes.
 */
import { defineDriver, ProcExit, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { runComponent } from "./component/run-component.js";
import { HOST_CALL_MODULE, hostCallImports } from "./host-calls.js";
import { prepareInput, type PrepareInput } from "./prepare-input.js";
import { parseWasmDriverData } from "./wasm-driver-data.js";
import { COMPILED_BYTES_PER_WIRE_BYTE, DEFAULT_IMAGE_CACHE_BYTES, PreparedCache, type PreparedEntry } from "./prepared-cache.js";

/** Kept in sync with module-check.ts (a driver bundle should not pull the checker in). */
const DEFERRED_START = "__llm_deferred_start";

const cache = new PreparedCache(DEFAULT_IMAGE_CACHE_BYTES);

export default defineDriver({ parse: parseWasmDriverData, run: runWasm });

async function runWasm(ctx: GuestContext, input: PrepareInput): Promise<number> {
  const entry = await prepared(ctx, input);
  if (entry === null) return 1;
  if (entry.kind === "component") {
    const { component } = entry;
    if (component.runExport === null) return 1;
    return runComponent(ctx, { glue: component.glue, coreModules: component.coreModules, imports: component.imports, runExport: component.runExport, maxInstances: input.limits.maxInstances });
  }
  const instance = ctx.instantiate({ [HOST_CALL_MODULE]: hostCallImports(ctx.memory, ctx.control) }, entry.image);
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

/** The prepared input (from this thread's cache when it holds it), or null when it was refused (reported). */
async function prepared(ctx: GuestContext, input: PrepareInput): Promise<PreparedEntry | null> {
  const result = await prepareInput(input, (key) => cache.get(key) !== undefined);
  switch (result.kind) {
    case "refused":
      ctx.control.report({ kind: "error", name: result.refusal, message: result.message });
      ctx.writeStderr(new TextEncoder().encode(`wasm: ${result.refusal}: ${result.message}\n`));
      return null;
    case "known":
      return cache.get(result.key) ?? null;
    case "module": {
      const p = result.prepared;
      const entry: PreparedEntry = { kind: "module", image: { name: "user.wasm", module: p.module, memory: p.memory, fuelExport: p.fuelExport, growFailedExport: p.growFailedExport } };
      cache.set(result.key, entry, p.meteredBytes * COMPILED_BYTES_PER_WIRE_BYTE);
      return entry;
    }
    case "component": {
      const entry: PreparedEntry = { kind: "component", component: result.prepared };
      cache.set(result.key, entry, result.prepared.meteredBytes * COMPILED_BYTES_PER_WIRE_BYTE + result.prepared.glue.length * 2);
      return entry;
    }
  }
}
