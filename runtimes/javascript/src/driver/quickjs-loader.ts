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
 * A fresh QuickJS WASM module for this run (one instance, never reused).
 * @param exit Throws what ends the run with an exit code (a ProcExit).
 */
export async function loadQuickJS(ctx: GuestContext, exit: (code: number) => never): Promise<QuickJSWASMModule> {
  const { module } = requireImage(ctx);
  checkImportShape(module);
  const options: EmscriptenOptions = {
    wasmMemory: ctx.memory,
    instantiateWasm(imports, done) {
      patchGlueImports(imports, {
        memory: ctx.memory,
        clock: ctx.clock,
        env: ctx.env,
        writeStdout: (b) => ctx.writeStdout(b),
        writeStderr: (b) => ctx.writeStderr(b),
        onMemoryLimit: () => ctx.noteMemoryLimitHit(),
        exit,
      });
      done(ctx.instantiate(imports), module);
      return {};
    },
    // Only the glue's own abort path prints; it goes to the run's stderr, not the worker's.
    print: (text) => ctx.writeStdout(encoder.encode(`${text}\n`)),
    printErr: (text) => ctx.writeStderr(encoder.encode(`${text}\n`)),
  };
  const variant = {
    type: "sync",
    importFFI: () => Promise.resolve(QuickJSFFI),
    importModuleLoader: () => Promise.resolve(() => QuickJSRaw(options)),
  } as unknown as Variant;
  return newQuickJSWASMModuleFromVariant(variant);
}
