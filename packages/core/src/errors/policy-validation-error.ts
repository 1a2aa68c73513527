import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

/** One problem found while validating input with zod. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `policy.fuelBudget`. */
  readonly path: string;
  readonly message: string;
}

const marker = Symbol.for("llm-wasm-sandbox.PolicyValidationError");

/** An execution policy (from code, TOML or CLI flags) did not validate. */
export class PolicyValidationError extends SandboxError {
  readonly [marker] = true;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], source = "policy", options?: { cause?: unknown }) {
    super("POLICY_VALIDATION", `invalid ${source}: ${formatIssues(issues)}`, options);
    this.issues = issues;
  }

  static override isInstance(e: unknown): e is PolicyValidationError {
    return hasMarker(e, marker);
  }
}

function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}
