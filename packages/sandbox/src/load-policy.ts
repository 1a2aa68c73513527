import {
  type ExecutionPolicy,
  type ExecutionPolicyInput,
  PolicyValidationError,
  resolvePolicy,
} from "@llm-wasm-sandbox/core";
import { readHostFile } from "@llm-wasm-sandbox/host-files";

/** Largest policy file read (a policy is a few hundred bytes; this only bounds the read). */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

/**
 * Reads an execution policy from a TOML file. Keys may be camelCase as in the API
 * (`fuelBudget`) or snake_case as is usual in TOML (`fuel_budget`); they may sit at
 * the top level or in a `[policy]` table; `[env]` / `[policy.env]` hold variables.
 *
 * ```toml
 * fuel_budget = 2_000_000_000
 * memory_bytes = 67_108_864
 * [env]
 * GREETING = "hi"
 * ```
 * @throws PolicyValidationError naming the file, the bad or unknown key, and why;
 *   HostFileError when the file is missing, not a regular file (a FIFO, a device, a
 *   directory) or over MAX_POLICY_FILE_BYTES.
 */
export async function loadPolicy(path: string, overrides?: ExecutionPolicyInput): Promise<ExecutionPolicy> {
  return resolvePolicy(await readPolicyFile(path), overrides);
}

/**
 * Reads and validates the keys of a policy TOML file without applying defaults.
 * @throws as `loadPolicy`.
 */
export async function readPolicyFile(path: string): Promise<ExecutionPolicyInput> {
  // A symlinked config is fine (dotfile managers); whatever it ends at must be a regular file.
  const bytes = await readHostFile(path, { maxBytes: MAX_POLICY_FILE_BYTES, label: "policy file", followSymlinks: true });
  const text = new TextDecoder().decode(bytes);
  // Loaded on first use: a host that never reads a policy file never loads the TOML parser.
  const { parse, TomlError } = await import("smol-toml");
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (cause) {
    const where = cause instanceof TomlError ? ` (line ${cause.line}, column ${cause.column})` : "";
    throw new PolicyValidationError([{ path: "", message: `not valid TOML${where}: ${(cause as Error).message.split("\n")[0]}` }], `policy file ${path}`, { cause });
  }
  const table = "policy" in doc && typeof doc.policy === "object" && doc.policy !== null ? { ...doc, ...(doc.policy as object) } : doc;
  delete (table as Record<string, unknown>).policy;
  const input = Object.fromEntries(Object.entries(table).map(([k, v]) => [camel(k), v]));
  try {
    resolvePolicy(input as ExecutionPolicyInput);
  } catch (e) {
    if (PolicyValidationError.isInstance(e)) throw new PolicyValidationError(e.issues, `policy file ${path}`, { cause: e });
    throw e;
  }
  return input as ExecutionPolicyInput;
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
