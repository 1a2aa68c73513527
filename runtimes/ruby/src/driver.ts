/**
 * Worker-side driver of the Ruby runtime (built to `dist/driver.js`). Two modes:
 *
 * - `snapshot`: instantiate, `_initialize`, `ruby-init`, evaluate the sandbox's Ruby
 *   runtime, then write the pages that differ from a fresh instance (and the mutable
 *   globals) into the SharedArrayBuffer the host passed. Run once per process and mount
 *   layout, with a huge fuel budget the host never bills to anyone.
 * - `run`: instantiate a fresh instance, restore the snapshot into it (plain memcpy from
 *   the shared buffer: no fuel), and evaluate the one-line run script, which ends the guest
 *   with `exit!` (a `ProcExit` carrying the exit code).
 */
import type { GuestContext, GuestDriver } from "@llm-wasm-sandbox/wasi-host";
import { RUBY_INIT_ARGS, rubyString } from "./bootstrap.js";
import { evalString, initializeReactor, isJsBridgeDenied, readGlobals, rubyImports, rubyInit, writeGlobals } from "./guest-abi.js";
import { captureImage, restoreImage, type MemoryImage } from "./memory-image.js";
import { writeSnapshot, type RubyDriverData } from "./snapshot-transfer.js";

const rubyDriver: GuestDriver = (ctx) => {
  const data = ctx.data as RubyDriverData;
  return data.mode === "snapshot" ? makeSnapshot(ctx, data.bootstrap, data.out) : runUserCode(ctx, data.image, data.script);
};

export default rubyDriver;

function makeSnapshot(ctx: GuestContext, bootstrap: string, out: SharedArrayBuffer): number {
  const instance = ctx.instantiate(rubyImports(ctx.module));
  const fresh = new Uint8Array(ctx.memory.buffer).slice();
  initializeReactor(instance);
  rubyInit(instance, ctx.memory, RUBY_INIT_ARGS);
  // Evaluated through Kernel#eval so that a syntax error, too, reaches stderr (and the
  // snapshot error message) instead of only a protect state.
  const guarded = `begin\n  eval(${rubyString(bootstrap)}, TOPLEVEL_BINDING, "llm-sandbox-bootstrap", 1)\nrescue Exception => e\n  $stderr.write(e.full_message(highlight: false))\n  raise\nend`;
  const state = evalString(instance, ctx.memory, guarded);
  if (state !== 0) throw new Error(`the sandbox's Ruby bootstrap raised (protect state ${state}) — ruby.wasm build not supported`);
  const globals = readGlobals(instance, [ctx.image.fuelExport, ctx.image.growFailedExport]);
  writeSnapshot(out, captureImage(new Uint8Array(ctx.memory.buffer), fresh, globals));
  return 0;
}

function runUserCode(ctx: GuestContext, image: MemoryImage, script: string): number {
  const instance = ctx.instantiate(rubyImports(ctx.module));
  try {
    restoreImage(ctx.memory, image);
  } catch (error) {
    const need = Math.ceil(image.byteLength / 1048576);
    throw new RangeError(
      `could not allocate memory: the initialized Ruby VM needs ${need} MiB of linear memory but memoryBytes allows ${Math.floor(ctx.limits.memoryBytes / 1048576)} MiB — raise memoryBytes`,
      { cause: error },
    );
  }
  writeGlobals(instance, image.globals);
  let state: number;
  try {
    state = evalString(instance, ctx.memory, script);
  } catch (error) {
    if (!isJsBridgeDenied(error)) throw error;
    // The guest loaded the js extension past the require guard and called into it. The VM
    // cannot continue (the call unwound through its frames), but this is the guest's
    // doing, not a crash: end it like an uncaught error, saying why.
    ctx.writeStderr(new TextEncoder().encode(`[llm-wasm-sandbox] ${error.message}: Ruby cannot reach host JavaScript\n`));
    return 1;
  }
  // The run script always ends in exit!, so returning means Ruby could not even start it.
  return state === 0 ? 0 : 1;
}
