import { z } from "zod";
import { mountPathProblem } from "./mount-layout.js";
import { parseOrThrow } from "./validation.js";

const MiB = 1024 * 1024;
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Limits and grants for one execution. Everything is denied unless granted here:
 * only `env` reaches the guest's environment, only `mountDataDir` is mounted besides
 * the workspace.
 */
export const ExecutionPolicySchema = z
  .object({
    /** WebAssembly instructions the guest may execute (wasmtime-compatible fuel units); a runtime plugin may default it higher. */
    fuelBudget: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(5_000_000_000),
    /** Cap on the guest's linear memory, in bytes (rounded down to 64 KiB pages). */
    memoryBytes: z.number().int().min(MiB).max(4096 * MiB).default(128 * MiB),
    /** Bytes of stdout kept; the rest is dropped and `stdoutTruncated` set. */
    stdoutMaxBytes: z.number().int().nonnegative().max(256 * MiB).default(2_000_000),
    /** Bytes of stderr kept; the rest is dropped and `stderrTruncated` set. */
    stderrMaxBytes: z.number().int().nonnegative().max(256 * MiB).default(1_000_000),
    /** Wall-clock limit for one execution, in milliseconds. */
    timeoutMs: z.number().int().positive().max(24 * 3600 * 1000).default(30_000),
    /** The only environment variables the guest sees. */
    env: z
      .record(z.string().regex(envName, "environment variable names are letters, digits and '_'"), z.string().refine((v) => !v.includes("\0"), "no NUL bytes"))
      .default({}),
    /** Frozen clocks and seeded randomness: same code and input give the same output and fuel. */
    deterministic: z.boolean().default(false),
    /** Seed for `random_get` when `deterministic` is on. */
    randomSeed: z.number().int().nonnegative().max(0xffffffff).default(0),
    /** Most bytes of file data a session may hold after a run; a run that would grow it further fails with StorageQuotaError and commits nothing. */
    maxSessionBytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(1024 * MiB),
    /** Most files a session may hold after a run (same rule as `maxSessionBytes`). */
    maxSessionFiles: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(100_000),
    /** Keep the full stdout/stderr of each execution in the structured log events. */
    preserveLogs: z.boolean().default(false),
    /** Host directory mounted read-only into the guest at `guestDataPath`. */
    mountDataDir: z.string().min(1).optional(),
    /** Guest path of `mountDataDir`: absolute and canonical, not `/`, not at or below `/app` or `/tmp`. */
    guestDataPath: z
      .string()
      .regex(/^\/[A-Za-z0-9_.\-/]*$/, "an absolute guest path such as /data/input")
      .superRefine((p, ctx) => {
        const problem = mountPathProblem(p);
        if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
      })
      .default("/data/mounted"),
    /** Host-function calls one execution may make (code mode); further calls fail in the guest. */
    maxToolCalls: z.number().int().nonnegative().max(1_000_000).default(1000),
    /** Wall-clock limit of one host-function call, in milliseconds; the handler's `ctx.signal` aborts then. */
    toolTimeoutMs: z.number().int().positive().max(24 * 3600 * 1000).default(10_000),
    /** Bytes of JSON one host-function call's arguments may have. */
    maxToolArgsBytes: z.number().int().positive().max(64 * MiB).default(MiB),
    /** Bytes of JSON one host-function call's result may have. */
    maxToolResultBytes: z.number().int().positive().max(64 * MiB).default(MiB),
  })
  .strict();

/**
 * A validated, fully defaulted execution policy. (Written out rather than inferred from
 * the schema so that the published .d.ts keeps each field's documentation; a type test
 * holds it equal to the schema's output.)
 */
export interface ExecutionPolicy {
  /**
   * WebAssembly instructions the guest may execute (wasmtime-compatible fuel units). Default
   * 5,000,000,000; the Python, JavaScript, Ruby and Lua runtimes default to 20,000,000,000
   * (their plugins' `defaults`, calibrated on an agent-program corpus).
   */
  fuelBudget: number;
  /** Cap on the guest's linear memory, in bytes (rounded down to 64 KiB pages): 1 MiB to 4 GiB, default 128 MiB. */
  memoryBytes: number;
  /** Bytes of stdout kept; the rest is dropped and `stdoutTruncated` set. Default 2,000,000. */
  stdoutMaxBytes: number;
  /** Bytes of stderr kept; the rest is dropped and `stderrTruncated` set. Default 1,000,000. */
  stderrMaxBytes: number;
  /** Wall-clock limit for one execution, in milliseconds. Default 30,000. */
  timeoutMs: number;
  /** The only environment variables the guest sees (names: letters, digits, `_`). Default none. */
  env: Record<string, string>;
  /** Frozen clocks and seeded randomness: same code and input give the same output and fuel. Default false. */
  deterministic: boolean;
  /** Seed for `random_get` when `deterministic` is on (0 to 2^32 - 1). Default 0. */
  randomSeed: number;
  /** Most bytes of file data a session may hold after a run; a run that would grow it further fails with StorageQuotaError and commits nothing. Default 1 GiB. */
  maxSessionBytes: number;
  /** Most files a session may hold after a run (same rule as `maxSessionBytes`). Default 100,000. */
  maxSessionFiles: number;
  /** Keep the full stdout/stderr of each execution in the structured log events. Default false. */
  preserveLogs: boolean;
  /** Host directory mounted read-only into the guest at `guestDataPath`. Default none. */
  mountDataDir?: string | undefined;
  /** Guest path of `mountDataDir` (absolute, outside /app). Default `/data/mounted`. */
  guestDataPath: string;
  /** Host-function calls one execution may make (code mode); further calls fail in the guest with a budget error. Default 1,000. */
  maxToolCalls: number;
  /** Wall-clock limit of one host-function call, in milliseconds; the handler's `ctx.signal` aborts and the guest gets a timeout error. Default 10,000. */
  toolTimeoutMs: number;
  /** Bytes of JSON one host-function call's arguments may have (refused in the worker, before the host sees them). Default 1 MiB. */
  maxToolArgsBytes: number;
  /** Bytes of JSON one host-function call's result may have (a bigger result fails the call). Default 1 MiB. */
  maxToolResultBytes: number;
}

/** What callers may pass: every field optional, each defaulting as {@link ExecutionPolicy} says. */
export type ExecutionPolicyInput = Partial<ExecutionPolicy>;

/** The policy every field of which is at its default. */
export const DEFAULT_POLICY: ExecutionPolicy = Object.freeze(ExecutionPolicySchema.parse({})) as ExecutionPolicy;

/**
 * Validates a policy and fills in defaults; `layers` are merged first to last
 * (runtime defaults, config file, then the caller's own values).
 * @throws PolicyValidationError naming every bad or unknown key.
 */
export function resolvePolicy(...layers: ReadonlyArray<ExecutionPolicyInput | undefined>): ExecutionPolicy {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer !== "object" || layer === null || Array.isArray(layer)) {
      return parseOrThrow(ExecutionPolicySchema, layer, "policy");
    }
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = v;
  }
  return parseOrThrow(ExecutionPolicySchema, merged, "policy");
}
