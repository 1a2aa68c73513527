import { hasMarker, SandboxError } from "@llm-wasm-sandbox/core";

const marker = Symbol.for("llm-wasm-sandbox.VendorError");

/**
 * A package could not be vendored (native code, a bad wheel, not found on the index,
 * not installed). The message says which files or which package, and what to do.
 */
export class VendorError extends SandboxError {
  readonly [marker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super("PACKAGE_VENDOR", `[python vendor] ${message}`, options);
  }

  static override isInstance(e: unknown): e is VendorError {
    return hasMarker(e, marker);
  }
}
