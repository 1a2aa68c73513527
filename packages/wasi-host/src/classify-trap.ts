import type { TrapReason } from "@llm-wasm-sandbox/core";
import type { RunLimits } from "./types.js";

/** What the worker knows when a driver threw something other than `ProcExit`. */
export interface TrapFacts {
  /** What the driver (or the guest through it) threw. */
  readonly error: unknown;
  /**
   * The fuel global of the last instance that ran, or null when no instance existed yet
   * (the failure happened before instantiation).
   */
  readonly fuelRemaining: bigint | null;
  /** The meter's `__llm_grow_failed` flag, or a driver's `noteMemoryLimitHit()`. */
  readonly memoryLimitHit: boolean;
}

/** A trap reason with a message for humans. */
export interface TrapClassification {
  readonly reason: TrapReason;
  readonly message: string;
}

const STACK_OVERFLOW = /maximum call stack size exceeded/i;
// V8's wording when the engine itself cannot provide memory (grow from JS, instantiate).
const MEMORY_ERROR = /(out of memory|maximum memory size|could not allocate memory|cannot allocate wasm memory|memory\.grow)/i;

/**
 * Decides why a guest stopped abnormally. Order matters: fuel exhaustion and stack
 * overflow are certain facts; a refused `memory.grow` explains most later traps
 * (allocators abort on failure); anything else that WebAssembly raised is a guest trap;
 * everything else is the host's fault.
 */
export function classifyTrap(facts: TrapFacts): TrapClassification {
  const { error } = facts;
  const message = messageOf(error);
  // Checked first and regardless of the error's type: a driver (emscripten glue) may wrap
  // the meter's trap in its own exception, but a negative fuel global is unambiguous.
  if (facts.fuelRemaining !== null && facts.fuelRemaining < 0n) {
    return { reason: "out_of_fuel", message: "fuel exhausted" };
  }
  if (error instanceof RangeError && STACK_OVERFLOW.test(message)) {
    return { reason: "stack_overflow", message };
  }
  if (facts.memoryLimitHit || (error instanceof RangeError && MEMORY_ERROR.test(message))) {
    return { reason: "memory_limit", message: facts.memoryLimitHit ? `memory limit reached (${message})` : message };
  }
  if (error instanceof WebAssembly.RuntimeError) {
    return /unreachable/i.test(message) ? { reason: "unreachable", message } : { reason: "trap", message };
  }
  if (error instanceof WebAssembly.LinkError || error instanceof WebAssembly.CompileError) {
    return { reason: "host_error", message: `${error.name}: ${message}` };
  }
  return { reason: "host_error", message };
}

/** What the worker knows when a driver returned (or the guest exited) without a trap. */
export interface EndFacts {
  /** The guest's exit code. */
  readonly exitCode: number;
  /** Budget minus what every instance of the run consumed (negative when overdrawn). */
  readonly fuelRemaining: bigint;
  /** The meter's `__llm_grow_failed` flag, or a driver's `noteMemoryLimitHit()`. */
  readonly memoryLimitHit: boolean;
}

/**
 * Why a run that ended normally still failed, or null. The meter checks fuel at loop
 * headers and function entries, so the straight-line code after the last check can
 * overdraw the budget by a few dozen units without trapping; a run that ends overdrawn
 * spent more than its budget, and fails as if the check had caught it. A guest that handled
 * a refused `memory.grow` itself (MemoryError) and exited non-zero failed because of the
 * limit, and saying so is what helps the caller.
 */
export function classifyEnd(facts: EndFacts): TrapClassification | null {
  if (facts.fuelRemaining < 0n) return { reason: "out_of_fuel", message: "fuel exhausted" };
  if (facts.exitCode !== 0 && facts.memoryLimitHit) {
    return { reason: "memory_limit", message: `exited with code ${facts.exitCode} after a memory.grow beyond memoryBytes was refused` };
  }
  return null;
}

/**
 * The host's account of why it stopped a guest (`RawRun.trapMessage`), written so that a
 * human or an LLM knows what happened and what to change in the code. Which limit to raise,
 * and how, depends on who reads it (a library user, the CLI, a model on MCP), so that part is
 * left to the error guidance, rendered per channel. It never goes into the guest's own stderr:
 * a guest could print a look-alike there.
 */
export function describeStop(trap: TrapClassification, limits: RunLimits): string {
  switch (trap.reason) {
    case "out_of_fuel":
      return `out of fuel after ${formatCount(limits.fuelBudget)} instructions — look for an infinite loop, or do less work per run`;
    case "timeout":
      return `wall-clock timeout after ${formatCount(limits.timeoutMs)} ms — make the code do less work or wait less`;
    case "memory_limit":
      return `memory limit of ${formatBytes(limits.memoryBytes)} reached${detail(trap)} — use less memory`;
    case "stack_overflow":
      return `call stack exhausted${detail(trap)} — look for unbounded recursion`;
    case "cancelled":
      return "cancelled by the caller";
    case "unreachable":
    case "trap":
      return `WebAssembly trap (${trap.message}) — the runtime crashed; simplify the code or report it`;
    case "host_error":
      return `host error: ${trap.message} — this is a sandbox problem, not the guest code's`;
  }
}

function detail(trap: TrapClassification): string {
  return trap.message === "" ? "" : ` (${trap.message})`;
}

/** `error.message` for errors, `String(error)` otherwise. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}


/**
 * Digits grouped like `toLocaleString("en-US")`, without Intl (its first use loads ICU data
 * and blocks the host's event loop for ~70 ms); core's `formatCount`, kept local because
 * the worker loads this module and must not load core's zod-based index.
 */
function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatBytes(n: number): string {
  const mib = n / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${formatCount(n)} bytes`;
}
