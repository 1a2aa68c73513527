/**
 * Worker-side driver of the Ruby runtime (built to `dist/driver.js`). Two modes:
 *
 * - `snapshot`: instantiate, `_initialize`, `ruby-init`, evaluate the sandbox's Ruby
 *   (guest/runtime.rb, state.rb, preload.rb, inlined at build time), then hand the pages that differ from a fresh instance (and the mutable
 *   globals) to the host (`ctx.saveSnapshot`). Run once per host and mount layout, with
 *   a huge fuel budget the host never bills to anyone.
 * - `run`: instantiate a fresh instance, restore the snapshot into it (plain memcpy from
 *   the shared buffer: no fuel), and evaluate the one line that starts the run from its
 *   parameters (`LLMSandboxRuntime.start`), which ends the guest
 *   with `exit!` (a `ProcExit` carrying the exit code).
 */
import { captureImage, defineDriver, readGlobals, requireImage, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { RUBY_INIT_ARGS, runLine, SNAPSHOT_FILES } from "./bootstrap.js";
import { parseRubyDriverData, type RubyDriverData } from "./driver-data.js";
import { evalInteger, evalString, initializeReactor, isJsBridgeDenied, rubyImports, rubyInit } from "./guest-abi.js";

export default defineDriver({
  parse: parseRubyDriverData,
  run: (ctx: GuestContext, data: RubyDriverData) =>
    data.mode === "snapshot"
      ? makeSnapshot(ctx)
      : runUserCode(ctx, runLine({ ...data.run, env: ctx.env, tools: toolManifest(ctx), ...(ctx.live ? { keep: true } : {}) }), data.run.controlPath),
  // Every run restores the same snapshot into a fresh instance: that much can be ready.
  prewarm: (data, snapshot) => (data.mode === "run" && snapshot !== null ? { key: "run", restore: snapshot } : null),
});

/** The host functions' manifest for guest/tools.rb, or null without tools. */
function toolManifest(ctx: GuestContext): unknown[] | null {
  return ctx.control.tools === "[]" ? null : (JSON.parse(ctx.control.tools) as unknown[]);
}

function makeSnapshot(ctx: GuestContext): number {
  const { module, image } = requireImage(ctx);
  const instance = ctx.instantiate(rubyImports(module));
  const fresh = new Uint8Array(ctx.memory.buffer).slice();
  initializeReactor(instance);
  rubyInit(instance, ctx.memory, RUBY_INIT_ARGS);
  for (const file of SNAPSHOT_FILES) {
    const state = evalString(instance, ctx.memory, file.source);
    if (state !== 0) throw new Error(`the sandbox's Ruby (guest/${file.name}) raised (protect state ${state}) — ruby.wasm build not supported`);
  }
  const globals = readGlobals(instance, [image.fuelExport, image.growFailedExport]);
  ctx.saveSnapshot(captureImage(new Uint8Array(ctx.memory.buffer), fresh, globals));
  return 0;
}

function runUserCode(ctx: GuestContext, script: string, controlPath: string): number {
  const image = ctx.snapshot;
  if (image === null) throw new Error("the Ruby driver runs user code only from a snapshot (RunSpec.snapshot)");
  // The run script opens the control device before any user code runs.
  ctx.control.mountDevice(ctx.fs, controlPath);
  const handles: number[] = [];
  const instance = ctx.instantiate(rubyImports(requireImage(ctx).module, handles));
  ctx.restore(instance, image, "the initialized Ruby VM");
  if (ctx.live !== undefined) return runKept(ctx, instance, handles, script);
  let state: number;
  try {
    state = evalString(instance, ctx.memory, script);
  } catch (error) {
    if (!isJsBridgeDenied(error)) throw error;
    // The guest loaded the js extension past the require guard and called into it. The VM
    // cannot continue (the call unwound through its frames), but this is the guest's
    // doing, not a crash: end it like an uncaught error, saying why.
    ctx.control.report({ kind: "error", name: "NotImplementedError", message: `${error.message}: Ruby cannot reach host JavaScript` });
    ctx.writeStderr(new TextEncoder().encode(`${error.message}: Ruby cannot reach host JavaScript (NotImplementedError)\n`));
    return 1;
  }
  // The run script always ends in exit!, so returning means Ruby could not even start it.
  return state === 0 ? 0 : 1;
}

/**
 * Warm sessions (`ctx.live`): the run line returns the exit status instead of `exit!`,
 * and the VM is kept for the next execution, which evaluates its own run line in it.
 * Anything unusual (an exception escaping the runtime, the JS bridge) ends the VM.
 */
function runKept(ctx: GuestContext, instance: WebAssembly.Instance, handles: number[], script: string): number {
  let result: { state: number; value: number | null };
  try {
    result = evalInteger(instance, ctx.memory, script, handles);
  } catch (error) {
    if (!isJsBridgeDenied(error)) throw error;
    // As in a cold run: the guest's doing, reported like an uncaught error; the VM is gone.
    ctx.control.report({ kind: "error", name: "NotImplementedError", message: `${error.message}: Ruby cannot reach host JavaScript` });
    ctx.writeStderr(new TextEncoder().encode(`${error.message}: Ruby cannot reach host JavaScript (NotImplementedError)\n`));
    return 1;
  }
  const { state, value } = result;
  handles.length = 0;
  if (state !== 0 || value === null) return 1;
  ctx.live?.keep((next) => {
    const data = parseRubyDriverData(next);
    if (data.mode !== "run") throw new TypeError("Ruby driver: a warm session continues with run data only");
    return runKept(ctx, instance, handles, runLine({ ...data.run, env: ctx.env, tools: toolManifest(ctx), keep: true }));
  });
  return value;
}
