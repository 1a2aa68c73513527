/**
 * Preparing a user's input, in the worker under the run's wall clock (the driver calls
 * it): decode base64 or parse WAT, check the module (imports, memory, tables, counts),
 * validate, meter under the nesting and size caps, compile — or transpile and meter a
 * component. Everything proportional to the input's size and structure happens here;
 * the host's main thread only hands over the text.
 */
import { createHash } from "node:crypto";
import { instrumentModule, MeterError } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import type { MemoryImportSpec } from "@llm-wasm-sandbox/wasi-host/driver";
import { ComponentRejectedError, prepareComponent, type PreparedComponent } from "./component/prepare-component.js";
import { checkModule, type WasmModuleLimits } from "./module-check.js";
import { decodeSource } from "./source.js";

/** Kinds of refusal, used as the language error name. */
export type RefusalKind = "WatSyntaxError" | "InvalidModule" | "ModuleRefused";

/** What the plugin sends (RunSpec.driverData of the wasm driver). */
export interface PrepareInput {
  readonly code: string;
  /** The run's memory cap (the checks depend on it). */
  readonly memoryBytes: number;
  readonly limits: WasmModuleLimits;
  /** `wasi_snapshot_preview1` functions the host implements. */
  readonly wasiFunctions: readonly string[];
}

/** A prepared core module: compiled and metered. */
export interface PreparedModule {
  readonly hash: string;
  readonly module: WebAssembly.Module;
  readonly memory: MemoryImportSpec;
  readonly fuelExport: string;
  readonly growFailedExport: string;
  /** Bytes of the metered module (what the compiled code is sized from). */
  readonly meteredBytes: number;
}

/** What comes back. */
export type PreparedInput =
  | { readonly kind: "known"; readonly key: string }
  | { readonly kind: "module"; readonly key: string; readonly prepared: PreparedModule }
  | { readonly kind: "component"; readonly key: string; readonly prepared: PreparedComponent }
  | { readonly kind: "refused"; readonly refusal: RefusalKind; readonly message: string };

/**
 * Prepares one input (see module doc); `known(key)` says whether the caller already holds
 * the result for a key, in which case only the key comes back.
 * @throws WasmToolchainMissingError for WAT or a component without `@bytecodealliance/jco-transpile`.
 */
export async function prepareInput(input: PrepareInput, known: (key: string) => boolean): Promise<PreparedInput> {
  const { limits } = input;
  const source = await decodeSource(input.code, limits);
  if (source.kind === "error") return { kind: "refused", refusal: source.message.startsWith("WAT syntax error") ? "WatSyntaxError" : "ModuleRefused", message: source.message };
  const key = createHash("sha256").update(`${input.memoryBytes}\0${JSON.stringify(limits)}\0${source.kind}\0`).update(source.bytes).digest("hex");
  if (known(key)) return { kind: "known", key };
  if (source.kind === "component") return prepareComponentInput(source.bytes, key, limits);

  const checked = checkModule(source.bytes, { wasiFunctions: new Set(input.wasiFunctions), memoryBytes: input.memoryBytes, limits });
  if (!checked.ok) return { kind: "refused", refusal: "ModuleRefused", message: checked.problems.join("\n") };
  // The meter goes first: it refuses over-deep nesting in one linear pass, before V8's
  // validator (which it runs itself, last) sees the module.
  let res;
  try {
    res = instrumentModule(checked.bytes, {}, { maxNestingDepth: limits.maxNestingDepth, maxOutputBytes: limits.maxInstrumentedBytes });
  } catch (error) {
    if (!MeterError.isInstance(error)) throw error;
    const invalid = error.limitExceeded ? null : validationError(checked.bytes);
    if (invalid !== null) return { kind: "refused", refusal: "InvalidModule", message: invalid };
    return { kind: "refused", refusal: "ModuleRefused", message: `the module cannot be metered: ${error.limitExceeded ? error.detail : error.message}` };
  }
  const module = await WebAssembly.compile(res.bytes);
  const hash = createHash("sha256").update(source.bytes).digest("hex");
  return {
    kind: "module",
    key,
    prepared: { hash, module, memory: res.memory, fuelExport: res.fuelExport, growFailedExport: res.growFailedExport, meteredBytes: res.bytes.length },
  };
}

async function prepareComponentInput(bytes: Uint8Array, key: string, limits: WasmModuleLimits): Promise<PreparedInput> {
  let plan: PreparedComponent;
  try {
    plan = await prepareComponent(bytes, {
      maxCoreModules: limits.maxInstances,
      meterLimits: { maxNestingDepth: limits.maxNestingDepth, maxOutputBytes: limits.maxInstrumentedBytes },
    });
  } catch (error) {
    if (ComponentRejectedError.isInstance(error)) return { kind: "refused", refusal: "ModuleRefused", message: error.message };
    throw error;
  }
  if (plan.runExport === null) {
    return { kind: "refused", refusal: "ModuleRefused", message: "the component exports no wasi:cli/run — only WASI 0.2 command components can be run" };
  }
  const unsupported = plan.imports.filter((i) => !/^wasi:(cli|io|clocks|random|filesystem)\//.test(i));
  if (unsupported.length > 0) {
    return { kind: "refused", refusal: "ModuleRefused", message: `the component imports what this sandbox does not provide: ${unsupported.join(", ")}` };
  }
  return { kind: "component", key, prepared: plan };
}

/** V8's own validation message for a module that does not validate, else null. */
function validationError(input: Uint8Array): string | null {
  // WebAssembly's typings want an ArrayBuffer-backed view.
  const bytes = input.buffer instanceof ArrayBuffer ? (input as Uint8Array<ArrayBuffer>) : new Uint8Array(input);
  if (WebAssembly.validate(bytes)) return null;
  try {
    new WebAssembly.Module(bytes);
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^WebAssembly\.Module\(\): /, "");
  }
  return "the module does not validate";
}
