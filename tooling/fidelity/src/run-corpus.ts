/**
 * Runs corpus programs through the public API (`createSandbox`, in-memory storage, a
 * fresh session per program) and reports fuel, outcome and whether stdout matches the
 * native interpreter's.
 */
import type { ExecutionPolicyInput } from "@llm-wasm-sandbox/core";
import { createSandbox, memoryStorage, type SandboxHost } from "llm-wasm-sandbox";
import type { CorpusLanguage, CorpusProgram } from "./corpus.js";

/** What one corpus program did in the sandbox. */
export interface CorpusRun {
  readonly name: string;
  readonly language: CorpusLanguage;
  /** The run succeeded and printed exactly the expected stdout. */
  readonly ok: boolean;
  readonly success: boolean;
  readonly outputMatches: boolean;
  readonly fuelConsumed: number;
  /** The policy's fuel budget for this run. */
  readonly fuelBudget: number;
  readonly trapReason: string | null;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCorpusProgram}. */
export interface RunCorpusOptions {
  /** Policy over the runtime's defaults (omit to run with the defaults). */
  readonly policy?: ExecutionPolicyInput;
  /** Host to run on (default: the process-wide host). */
  readonly host?: SandboxHost;
}

/** Runs one program in a new session and compares its stdout with the expected output. */
export async function runCorpusProgram(program: CorpusProgram, options: RunCorpusOptions = {}): Promise<CorpusRun> {
  const sandbox = await createSandbox({
    runtime: program.language,
    storage: memoryStorage(),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.host ? { host: options.host } : {}),
  });
  try {
    const started = performance.now();
    const result = await sandbox.execute(program.code);
    const wallMs = performance.now() - started;
    const outputMatches = result.stdout === program.expected;
    return {
      name: program.name,
      language: program.language,
      ok: result.success && outputMatches,
      success: result.success,
      outputMatches,
      fuelConsumed: result.fuelConsumed,
      fuelBudget: sandbox.policy.fuelBudget,
      trapReason: result.trapReason,
      wallMs,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  } finally {
    await sandbox.close();
  }
}

/** The fuel budget a runtime gets when the caller sets none (core's default under the plugin's). */
export async function defaultFuelBudget(language: CorpusLanguage): Promise<number> {
  const sandbox = await createSandbox({ runtime: language, storage: memoryStorage() });
  await sandbox.close();
  return sandbox.policy.fuelBudget;
}
