/**
 * The WebAssembly runtime plugin: takes WAT text or base64 bytes — a WASI preview1 command
 * module or a WASI 0.2 command component — and hands it to its driver, which prepares it
 * (parse, check imports/memory/tables/counts/nesting, meter, compile) in the worker under
 * the run's wall clock and runs it. The main thread does O(1) work per run: nothing here
 * grows with the module's size or structure beyond handing the text over.
 */
import { createRequire } from "node:module";
import type { PrepareRequest, Refusal, RunSpec, RuntimePlugin } from "@llm-wasm-sandbox/core";
import { RuntimeType } from "@llm-wasm-sandbox/core/runtime-type";
import { resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host/host";
import { interpretWasmRun } from "./interpret.js";
import { jcoInstalled, WasmToolchainMissingError } from "./jco.js";
import { DEFAULT_MODULE_LIMITS, type WasmModuleLimits } from "./module-check.js";
import { hostWasiFunctions } from "./wasi-functions.js";
import { parseWasmDriverData } from "./wasm-driver-data.js";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** argv[0] of every run. */
export const PROGRAM_NAME = "user.wasm";

/**
 * Whether the input is WAT rather than base64: WAT starts with `(` or a comment (`;;`,
 * `(;`), and neither character is in the base64 alphabet. Only the leading whitespace is
 * read, so the main thread's cost does not grow with the module (the worker's decoder
 * makes the real decision and refuses what is neither).
 */
function looksLikeWat(code: string): boolean {
  const first = code.search(/\S/);
  return first < 0 || code[first] === "(" || code[first] === ";";
}

/** Creates a WebAssembly runtime plugin with its own module caps. */
export function createWasmPlugin(moduleLimits: Partial<WasmModuleLimits> = {}): RuntimePlugin {
  const limits: WasmModuleLimits = { ...DEFAULT_MODULE_LIMITS, ...moduleLimits };
  return Object.freeze({
    specificationVersion: "v2",
    type: RuntimeType.WASM,
    displayName: "WebAssembly (WAT, WASI preview1, WASI 0.2 components)",
    languageVersion: "WebAssembly 2.0 (WASI preview1 commands, WASI 0.2 command components)",
    fileExtension: ".wat",
    extraExtensions: [".wasm"],
    packageName: pkg.name,
    version: pkg.version,
    defaults: {},
    prepare: (request) => prepareWasm(request, limits),
    interpret: (raw) => interpretWasmRun(raw),
  } satisfies RuntimePlugin);
}

/** The WebAssembly runtime plugin with the default caps. */
export const wasmPlugin: RuntimePlugin = createWasmPlugin();

let driver: string | null = null;

function prepareWasm(request: PrepareRequest, limits: WasmModuleLimits): RunSpec | Refusal {
  const { code } = request;
  if (code.length > limits.maxModuleBytes * 2) {
    return {
      kind: "refusal",
      name: "ModuleRefused",
      message: `the input is ${code.length} characters; this sandbox accepts modules of at most ${limits.maxModuleBytes} bytes`,
      guidance: ["Keep modules under the size limit shown, or raise the runtime's maxModuleBytes."],
    };
  }
  const wat = looksLikeWat(code);
  if (wat && !jcoInstalled()) throw new WasmToolchainMissingError("WebAssembly text (WAT)");
  driver ??= resolveBuiltFile(import.meta.url, "wasm-driver.js", pkg.name);
  return {
    kind: "run",
    image: null,
    driver,
    driverData: parseWasmDriverData({ code, memoryBytes: request.policy.memoryBytes, limits, wasiFunctions: [...hostWasiFunctions()] }),
    argv: [PROGRAM_NAME, ...request.args],
    // Node's base64 decoder skips whitespace natively; input that is not base64 is refused in the worker.
    userCodeFile: wat ? { name: "user_code.wat", bytes: new TextEncoder().encode(code) } : { name: "user_code.wasm", bytes: new Uint8Array(Buffer.from(code, "base64")) },
  };
}
