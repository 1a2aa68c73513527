/**
 * The main-thread side of preparing a user's input: O(1) work here — a length check,
 * one message to a pool thread (prepare-input.ts) that does everything proportional to
 * the input, under the run's timeout — and a cache of prepared modules bounded by bytes
 * (an LLM writes a new module every turn; none of them belongs in the user's on-disk
 * cache, and a count-bounded cache of large modules held gigabytes).
 */
import type { ExecutionRequest, RawRun } from "@llm-wasm-sandbox/core";
import { defaultPool, resolveBuiltFile, runLimitsFromPolicy, stopNotice, type MeteredImage, type WorkerPool } from "@llm-wasm-sandbox/wasi-host";
import type { PreparedComponent } from "./component/prepare-component.js";
import { WasmToolchainMissingError } from "./jco.js";
import type { WasmModuleLimits } from "./module-check.js";
import type { PrepareInput, PreparedInput, SeedFile } from "./prepare-input.js";
import { refusedRun } from "./refusal.js";
import { hostWasiFunctions } from "./wasi-functions.js";

/** Default budget of the prepared-module cache (estimated bytes of compiled code). */
export const DEFAULT_IMAGE_CACHE_BYTES = 256 * 1024 * 1024;

/** Most entries the cache holds, whatever their size (each run sends the keys to the worker). */
export const MAX_IMAGE_CACHE_ENTRIES = 256;

/**
 * Host bytes a compiled module is estimated to hold per byte of metered WebAssembly
 * (V8's machine code and metadata are several times the wire bytes); used to size the
 * cache's entries, since V8 does not report a module's footprint.
 */
export const COMPILED_BYTES_PER_WIRE_BYTE = 8;

/** A prepared input ready to run. */
export type PreparedRun =
  | { readonly kind: "module"; readonly image: MeteredImage; readonly seed: SeedFile }
  | { readonly kind: "component"; readonly component: PreparedComponent; readonly seed: SeedFile };

type Entry = { readonly kind: "module"; readonly image: MeteredImage } | { readonly kind: "component"; readonly component: PreparedComponent };

/** A least-recently-used cache whose entries each have a cost; the total and the count stay under budgets. */
export class PreparedCache {
  readonly #entries = new Map<string, { value: Entry; cost: number }>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries: number = MAX_IMAGE_CACHE_ENTRIES,
  ) {}

  /** The entry for `key`, now the most recently used; undefined when absent. */
  get(key: string): Entry | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.value;
  }

  /** Adds an entry, evicting the least recently used ones over budget (one larger than the budget is not kept). */
  set(key: string, value: Entry, cost: number): void {
    this.delete(key);
    if (cost > this.maxBytes) return;
    this.#entries.set(key, { value, cost });
    this.#bytes += cost;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(k);
      this.#bytes -= e.cost;
    }
  }

  delete(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#bytes -= e.cost;
  }

  /** The keys held (what the worker may skip preparing). */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
}

let preparerUrl: string | null = null;

/**
 * Prepares `request.code` for a run in a pool thread, bounded by the run's wall clock and
 * the caller's AbortSignal. Returns the prepared run and the time it took, or a RawRun
 * when the input was refused or preparation was stopped.
 * @throws WasmToolchainMissingError for WAT or components without `@bytecodealliance/jco-transpile`.
 */
export async function prepareUserInput(
  request: ExecutionRequest,
  limits: WasmModuleLimits,
  cache: PreparedCache,
  pool: WorkerPool = defaultPool(),
): Promise<{ readonly run: PreparedRun; readonly elapsedMs: number } | RawRun> {
  const startedAt = Date.now();
  if (request.code.length > limits.maxModuleBytes * 2) {
    return refusedRun("ModuleRefused", `the input is ${request.code.length} characters; this sandbox accepts modules of at most ${limits.maxModuleBytes} bytes`, startedAt);
  }
  const runLimits = runLimitsFromPolicy(request.policy);
  const timeout = AbortSignal.timeout(runLimits.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const input: PrepareInput = {
    code: request.code,
    memoryBytes: request.policy.memoryBytes,
    limits,
    wasiFunctions: [...hostWasiFunctions()],
    known: cache.keys(),
  };
  preparerUrl ??= resolveBuiltFile(import.meta.url, "prepare-input.js");
  let result: PreparedInput;
  try {
    result = await pool.prepare<PreparedInput>({ preparer: preparerUrl, input }, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
    const reason = timeout.aborted ? "timeout" : "cancelled";
    const message = reason === "timeout" ? `preparing the module (parse, check, meter, compile) exceeded the wall-clock limit of ${runLimits.timeoutMs} ms` : "cancelled by the caller";
    return stoppedRun(reason, message, stopNotice({ reason, message }, runLimits), startedAt);
  }
  const elapsedMs = Date.now() - startedAt;
  switch (result.kind) {
    case "refused":
      return refusedRun(result.refusal, result.message, startedAt);
    case "toolchain-missing":
      throw new WasmToolchainMissingError(result.what);
    case "known": {
      const hit = cache.get(result.key);
      if (hit) return { run: { ...hit, seed: result.seed }, elapsedMs };
      // Evicted while the worker ran: prepare it again (the worker no longer skips it).
      return prepareUserInput(request, limits, cache, pool);
    }
    case "module": {
      const p = result.prepared;
      const image: MeteredImage = { name: "user.wasm", hash: p.hash, module: p.module, memory: p.memory, fuelExport: p.fuelExport, growFailedExport: p.growFailedExport };
      cache.set(result.key, { kind: "module", image }, p.meteredBytes * COMPILED_BYTES_PER_WIRE_BYTE);
      return { run: { kind: "module", image, seed: result.seed }, elapsedMs };
    }
    case "component":
      cache.set(result.key, { kind: "component", component: result.prepared }, result.prepared.meteredBytes * COMPILED_BYTES_PER_WIRE_BYTE + result.prepared.glue.length * 2);
      return { run: { kind: "component", component: result.prepared, seed: result.seed }, elapsedMs };
  }
}

function stoppedRun(reason: "timeout" | "cancelled", message: string, notice: string, startedAt: number): RawRun {
  return { ...refusedRun("ModuleRefused", "", startedAt), exitCode: -1, trapReason: reason, trapMessage: message, stderr: notice };
}
