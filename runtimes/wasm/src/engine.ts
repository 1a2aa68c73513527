/**
 * The WebAssembly engine: takes WAT text or base64 bytes, checks the module (imports,
 * memory, tables, size), meters it in memory and runs it as a WASI preview1 command
 * through wasi-host — or, for a WASI 0.2 component, through the component driver.
 */
import type { ExecutionRequest, RawRun, RunInterpretation, RuntimeEngine, RuntimeLoadOptions } from "@llm-wasm-sandbox/core";
import { resolveBuiltFile, run, runLimitsFromPolicy } from "@llm-wasm-sandbox/wasi-host";
import { interpretWasmRun } from "./interpret.js";
import { checkModule, DEFAULT_MODULE_LIMITS, type WasmModuleLimits } from "./module-check.js";
import { refusedRun } from "./refusal.js";
import { decodeSource } from "./source.js";
import { ModuleNotRunnableError, userImage } from "./user-image.js";
import { hostWasiFunctions } from "./wasi-functions.js";

/** argv[0] of every run. */
export const PROGRAM_NAME = "user.wasm";

/** Options of `createWasmEngine` beyond what the host passes. */
export interface WasmEngineOptions {
  /** Caps on module size, tables and instances (defaults: DEFAULT_MODULE_LIMITS). */
  readonly moduleLimits?: Partial<WasmModuleLimits>;
}

/** Creates the engine. Nothing is compiled until the first execution. */
export function createWasmEngine(_load: RuntimeLoadOptions, options: WasmEngineOptions = {}): RuntimeEngine {
  const limits: WasmModuleLimits = { ...DEFAULT_MODULE_LIMITS, ...options.moduleLimits };
  return {
    languageVersion: "WebAssembly 2.0 (WASI preview1 commands, WASI 0.2 command components)",
    execute: (request) => executeWasm(request, limits),
    interpret(raw: RawRun): RunInterpretation {
      return interpretWasmRun(raw);
    },
    async close(): Promise<void> {
      // Compiled user modules live in a small process-wide LRU; the pool belongs to wasi-host.
    },
  };
}

async function executeWasm(request: ExecutionRequest, limits: WasmModuleLimits): Promise<RawRun> {
  const startedAt = Date.now();
  const source = await decodeSource(request.code, limits.maxModuleBytes);
  if (source.kind === "error") {
    return refusedRun(source.message.startsWith("WAT syntax error") ? "WatSyntaxError" : "ModuleRefused", source.message, startedAt);
  }
  if (source.kind === "component") {
    const { executeComponent } = await import("./component-run.js");
    return executeComponent(request, source.bytes, limits, startedAt);
  }
  const checked = checkModule(source.bytes, { wasiFunctions: hostWasiFunctions(), memoryBytes: request.policy.memoryBytes, limits });
  if (!checked.ok) return refusedRun("ModuleRefused", checked.problems.join("\n"), startedAt);
  const invalid = validationError(checked.bytes);
  if (invalid !== null) return refusedRun("InvalidModule", invalid, startedAt);
  let image;
  try {
    image = await userImage(checked.bytes, PROGRAM_NAME);
  } catch (error) {
    if (error instanceof ModuleNotRunnableError) return refusedRun("ModuleRefused", error.message, startedAt);
    throw error;
  }
  const seedName = source.from === "wat" ? "user_code.wat" : "user_code.wasm";
  return run({
    image,
    driver: resolveBuiltFile(import.meta.url, "command-driver.js"),
    argv: [PROGRAM_NAME, ...(request.args ?? [])],
    env: { ...request.policy.env },
    workspace: request.workspace,
    mounts: request.mounts,
    seedFiles: { [seedName]: source.from === "wat" ? new TextEncoder().encode(request.code) : source.bytes },
    limits: runLimitsFromPolicy(request.policy),
    ...(request.signal ? { signal: request.signal } : {}),
  });
}

/** V8's own validation message for a module that does not validate, else null. */
function validationError(input: Uint8Array): string | null {
  // WebAssembly's typings want an ArrayBuffer-backed view; jco's output is typed loosely.
  const bytes = input.buffer instanceof ArrayBuffer ? (input as Uint8Array<ArrayBuffer>) : new Uint8Array(input);
  if (WebAssembly.validate(bytes)) return null;
  try {
    new WebAssembly.Module(bytes);
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^WebAssembly\.Module\(\): /, "");
  }
  return "the module does not validate";
}
