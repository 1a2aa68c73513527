/**
 * Builds a QuickJS-NG instance inside a run: quickjs-emscripten-core over the pinned
 * wasm build, except that the emscripten glue gets the run's capped memory and
 * instantiates the *metered* module through `ctx.instantiate`, with its host-facing
 * imports rewired (see emscripten-imports.ts).
 */
import QuickJSRaw from "@jitl/quickjs-ng-wasmfile-release-sync/emscripten-module";
import { QuickJSFFI } from "@jitl/quickjs-ng-wasmfile-release-sync/ffi";
import { requireImage, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import { checkImportShape, patchGlueImports } from "./emscripten-imports.js";

type Variant = Parameters<typeof newQuickJSWASMModuleFromVariant>[0];
type EmscriptenOptions = Parameters<typeof QuickJSRaw>[0] & {
  wasmMemory: WebAssembly.Memory;
  instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  print(text: string): void;
  printErr(text: string): void;
};

const encoder = new TextEncoder();

/**
 * The run a QuickJS instance serves: the glue's imports and print callbacks go through
 * it, so an instance started before its run (a pre-warm start) serves the run that takes
 * it once `ctx` is switched to that run's context.
 */
export interface GlueWorld {
  ctx: GuestContext;
}

/** A loaded QuickJS module and the imports its instance was given (they forward to `world.ctx`). */
export interface LoadedQuickJS {
  readonly qjs: QuickJSWASMModule;
  readonly imports: WebAssembly.Imports;
}

/**
 * A fresh QuickJS WASM module (one instance, never reused), instantiated through
 * `world.ctx.instantiate`; everything host-facing reads `world.ctx` when it is called.
 * @param exit Throws what ends the run with an exit code (a ProcExit).
 */
export async function loadQuickJS(world: GlueWorld, exit: (code: number) => never): Promise<LoadedQuickJS> {
  const { ctx } = world;
  const { module } = requireImage(ctx);
  checkImportShape(module);
  let given: WebAssembly.Imports | null = null;
  const options: EmscriptenOptions = {
    wasmMemory: ctx.memory,
    instantiateWasm(imports, done) {
      patchGlueImports(imports, {
        memory: ctx.memory,
        clock: {
          realtimeNs: () => world.ctx.clock.realtimeNs(),
          monotonicNs: () => world.ctx.clock.monotonicNs(),
          fillRandom: (buf) => world.ctx.clock.fillRandom(buf),
        },
        env: ctx.env,
        writeStdout: (b) => world.ctx.writeStdout(b),
        writeStderr: (b) => world.ctx.writeStderr(b),
        onMemoryLimit: () => world.ctx.noteMemoryLimitHit(),
        exit,
      });
      given = imports;
      done(ctx.instantiate(imports), module);
      return {};
    },
    // Only the glue's own abort path prints; it goes to the run's stderr, not the worker's.
    print: (text) => world.ctx.writeStdout(encoder.encode(`${text}\n`)),
    printErr: (text) => world.ctx.writeStderr(encoder.encode(`${text}\n`)),
  };
  const variant = {
    type: "sync",
    importFFI: () => Promise.resolve(QuickJSFFI),
    importModuleLoader: () => Promise.resolve(() => QuickJSRaw(options)),
  } as unknown as Variant;
  const qjs = await newQuickJSWASMModuleFromVariant(variant);
  if (given === null) throw new TypeError("the QuickJS glue did not instantiate its module");
  return { qjs, imports: given };
}
