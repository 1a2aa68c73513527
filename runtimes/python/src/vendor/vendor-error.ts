import { hasMarker, SandboxError } from "@llm-wasm-sandbox/core/errors";

const marker = Symbol.for("llm-wasm-sandbox.VendorError");

/** Why a package could not be vendored, in a stable form. */
export type VendorProblem =
  /** A download, a local wheel or a package directory is over its size cap. */
  | "too-large"
  /** Installing it would take more packages (itself and its requirements) than allowed. */
  | "too-many-packages"
  /** The index could not be reached or did not answer in time. */
  | "unreachable"
  /** Anything else: native code, a bad wheel, an unknown name, not installed. */
  | "invalid";

/**
 * A package could not be vendored (native code, a bad wheel, not found on the index,
 * over a size cap, not installed). The message says which files or which package, and
 * what to do; `problem` says why in a stable form.
 */
export class VendorError extends SandboxError {
  readonly [marker] = true;
  readonly problem: VendorProblem;

  constructor(message: string, options?: { cause?: unknown; problem?: VendorProblem }) {
    super("PACKAGE_VENDOR", `[python vendor] ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problem = options?.problem ?? "invalid";
  }

  static override isInstance(e: unknown): e is VendorError {
    return hasMarker(e, marker);
  }
}
