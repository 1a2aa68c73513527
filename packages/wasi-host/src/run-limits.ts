import type { ExecutionPolicy } from "@llm-wasm-sandbox/core";
import type { RunLimits } from "./types.js";

/** The limits of one run, taken from a validated execution policy. */
export function runLimitsFromPolicy(policy: ExecutionPolicy): RunLimits {
  return {
    fuelBudget: policy.fuelBudget,
    memoryBytes: policy.memoryBytes,
    stdoutMaxBytes: policy.stdoutMaxBytes,
    stderrMaxBytes: policy.stderrMaxBytes,
    timeoutMs: policy.timeoutMs,
    deterministic: policy.deterministic,
    randomSeed: policy.randomSeed,
    maxToolCalls: policy.maxToolCalls,
    maxToolArgsBytes: policy.maxToolArgsBytes,
  };
}
