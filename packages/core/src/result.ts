import { z } from "zod";
import { ErrorGuidanceSchema } from "./guidance/error-guidance-schema.js";
import { FuelAnalysisSchema } from "./guidance/fuel-analysis.js";

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
export type TrapReason = z.output<typeof TrapReasonSchema>;

/** Everything one `execute` reports. */
export const SandboxResultSchema = z.object({
  /** Exit code 0 and no trap (runtimes may refine, e.g. an uncaught exception). */
  success: z.boolean(),
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int(),
  /** Fuel units consumed (0 when the run was killed by the wall clock before reporting). */
  fuelConsumed: z.number().nonnegative(),
  /** Peak linear memory of the guest, in bytes. */
  memoryUsedBytes: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Workspace paths (relative to /app) the execution created, modified, deleted. */
  filesCreated: z.array(z.string()),
  filesModified: z.array(z.string()),
  filesDeleted: z.array(z.string()),
  sessionId: z.string(),
  runtime: z.string(),
  trapped: z.boolean(),
  trapReason: TrapReasonSchema.nullable(),
  trapMessage: z.string().nullable(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  fuelAnalysis: FuelAnalysisSchema,
  /** Present when the execution failed. */
  errorGuidance: ErrorGuidanceSchema.nullable(),
  /** Things the caller should know that are not errors (e.g. globals not persisted). */
  notes: z.array(z.string()),
});
export type SandboxResult = z.output<typeof SandboxResultSchema>;
