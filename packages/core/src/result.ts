import { z } from "zod";
import { type ErrorGuidance, ErrorGuidanceSchema } from "./guidance/error-guidance-schema.js";
import { type FuelAnalysis, FuelAnalysisSchema } from "./guidance/fuel-analysis.js";

/** Why a guest was stopped by the host rather than exiting on its own. */
export const TrapReasonSchema = z.enum([
  "out_of_fuel",
  "memory_limit",
  "timeout",
  "stack_overflow",
  "unreachable",
  "trap",
  "cancelled",
  "host_error",
]);
/**
 * Why the host stopped a guest: `out_of_fuel` (the fuel budget ran out), `memory_limit`
 * (linear memory would have grown past `memoryBytes`), `timeout` (the wall clock passed
 * `timeoutMs`), `stack_overflow`, `unreachable` / `trap` (a WebAssembly trap such as an
 * out-of-bounds access), `cancelled` (the caller's AbortSignal fired) or `host_error` (the
 * host failed, not the guest).
 */
export type TrapReason = z.output<typeof TrapReasonSchema>;

/** One host-function call the guest made (code mode), as `SandboxResult.toolCalls` lists it. */
export interface ToolCallRecord {
  /** The tool's name. */
  name: string;
  /**
   * The arguments as the guest sent them (parsed JSON); when their JSON text was larger
   * than 4 KiB, `{ "$truncated": <bytes> }` instead.
   */
  args: unknown;
  /** True when the handler returned a valid result the guest received. */
  ok: boolean;
  /** Milliseconds from the host receiving the call to the reply. */
  ms: number;
  /** Why the call failed (the guest got this as its exception's message); absent when ok. */
  error?: string;
}

/**
 * What every `execute` reports, whatever the outcome. The three outcomes are
 * {@link SuccessfulResult}, {@link FailedResult} and {@link TrappedResult}; see
 * {@link SandboxResult}.
 */
export interface SandboxResultFields {
  /**
   * What the guest wrote to stdout, decoded as UTF-8, at most `policy.stdoutMaxBytes`
   * bytes (cut on a character boundary; `stdoutTruncated` says whether anything was dropped).
   */
  stdout: string;
  /** What the guest wrote to stderr, at most `policy.stderrMaxBytes` bytes; see `stdout`. */
  stderr: string;
  /** The guest's exit status (0 = success; a trapped run reports the status it had, usually nonzero). */
  exitCode: number;
  /**
   * Fuel units consumed: WebAssembly instructions counted as wasmtime does (structural
   * operators free, bulk memory operations by length).
   *
   * For a run stopped by the wall clock or the caller (`trapReason` `timeout` or
   * `cancelled`) this is a lower bound: the fuel spent up to the last time the guest wrote
   * output, called a host function, read a workspace file lazily or slept — 0 when it did
   * none of those. What it computed after that is not counted and cannot be: while guest
   * code runs, the meter keeps the count in the running function's locals (a register),
   * and the thread is terminated with them.
   */
  fuelConsumed: number;
  /** Peak size of the guest's linear memory, in bytes. */
  memoryUsedBytes: number;
  /** Wall-clock time of the run, in milliseconds (instance start to exit; excludes committing files). */
  durationMs: number;
  /** Files the run created, as paths relative to /app (e.g. `out/report.csv`); internal files are left out. */
  filesCreated: string[];
  /** Files the run changed, as paths relative to /app. */
  filesModified: string[];
  /** Files the run deleted, as paths relative to /app. */
  filesDeleted: string[];
  /** The session the run belongs to; pass it back to continue with the same /app files. */
  sessionId: string;
  /** The runtime that ran the code, e.g. `python`. */
  runtime: string;
  /** True when stdout went past `policy.stdoutMaxBytes` and the rest was dropped. */
  stdoutTruncated: boolean;
  /** True when stderr went past `policy.stderrMaxBytes` and the rest was dropped. */
  stderrTruncated: boolean;
  /** How much of the fuel budget the run used, and a budget that would fit it. */
  fuelAnalysis: FuelAnalysis;
  /** Things the caller should know that are not errors (e.g. globals that could not be persisted). */
  notes: string[];
  /** Every host-function call the guest made, in order (empty without tools). */
  toolCalls: ToolCallRecord[];
  /**
   * True when the run continued the live interpreter of the session's previous execution
   * (a keepAlive sandbox; see `createSandbox({ keepAlive })`): its variables, open
   * generators, class instances and imported modules were still there. False for every
   * run that started a fresh interpreter from the session's files and saved state; a
   * keepAlive run that ran cold after an earlier one says why in `notes`.
   */
  warm: boolean;
  /**
   * True when the run started from a pre-warmed instance (`createSandboxHost({ prewarm })`):
   * instantiated and restored before the run arrived, never used by another run. Such a
   * run behaves exactly like one that built its instance itself (same output, same fuel);
   * only its start is faster.
   */
  prewarmed: boolean;
}

/** The code ran to completion: exit code 0, no trap, no error the runtime recognised. */
export interface SuccessfulResult extends SandboxResultFields {
  /** True: see {@link SandboxResult}. */
  success: true;
  /** False: the host did not stop the guest. */
  trapped: false;
  /** Null: no trap. */
  trapReason: null;
  /** Null: no trap. */
  trapMessage: null;
  /** Null: nothing went wrong. */
  errorGuidance: null;
}

/** The guest ended on its own but failed: a nonzero exit code or an uncaught language error. */
export interface FailedResult extends SandboxResultFields {
  /** False: see {@link SandboxResult}. */
  success: false;
  /** False: the guest ended on its own. */
  trapped: false;
  /** Null: no trap. */
  trapReason: null;
  /** Null: no trap. */
  trapMessage: null;
  /** What went wrong and what to do about it. */
  errorGuidance: ErrorGuidance;
}

/** The host stopped the guest: a limit was hit, the run was cancelled, or it trapped. */
export interface TrappedResult extends SandboxResultFields {
  /** False: a stopped run never succeeds. */
  success: false;
  /** True: the host stopped the guest; `trapReason` says why. */
  trapped: true;
  /** Which limit or trap stopped the guest. */
  trapReason: TrapReason;
  /** The engine's own words about the trap, when it gave any (e.g. "integer divide by zero"). */
  trapMessage: string | null;
  /** What the limit means and what to do about it. */
  errorGuidance: ErrorGuidance;
}

/**
 * Everything one `execute` reports. Discriminated on `success` and `trapped`:
 *
 * ```ts
 * if (result.trapped) console.log(result.trapReason); // TrapReason, never null here
 * else if (!result.success) console.log(result.errorGuidance.actionableGuidance); // ErrorGuidance
 * ```
 */
export type SandboxResult = SuccessfulResult | FailedResult | TrappedResult;

const ResultFieldsSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int(),
  fuelConsumed: z.number().nonnegative(),
  memoryUsedBytes: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  filesCreated: z.array(z.string()),
  filesModified: z.array(z.string()),
  filesDeleted: z.array(z.string()),
  sessionId: z.string(),
  runtime: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  fuelAnalysis: FuelAnalysisSchema,
  notes: z.array(z.string()),
  toolCalls: z.array(z.object({ name: z.string(), args: z.unknown(), ok: z.boolean(), ms: z.number().nonnegative(), error: z.string().optional() })),
  // Results stored before warm sessions existed (idempotency records) were all cold.
  warm: z.boolean().default(false),
  // Results stored before pre-warmed instances existed (idempotency records) had none.
  prewarmed: z.boolean().default(false),
});

/** Validates a {@link SandboxResult} (e.g. one read back from JSON): exactly one of its three shapes. */
export const SandboxResultSchema: z.ZodType<SandboxResult> = z.union([
  ResultFieldsSchema.extend({ success: z.literal(true), trapped: z.literal(false), trapReason: z.null(), trapMessage: z.null(), errorGuidance: z.null() }),
  ResultFieldsSchema.extend({ success: z.literal(false), trapped: z.literal(false), trapReason: z.null(), trapMessage: z.null(), errorGuidance: ErrorGuidanceSchema }),
  ResultFieldsSchema.extend({ success: z.literal(false), trapped: z.literal(true), trapReason: TrapReasonSchema, trapMessage: z.string().nullable(), errorGuidance: ErrorGuidanceSchema }),
]);
