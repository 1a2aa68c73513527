import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.SandboxExecutionError");

/**
 * The host could not carry out an execution (the runtime failed to load, a worker
 * crashed, the workspace could not be committed). Guest failures are not errors:
 * they come back as a `SandboxResult` with `success: false`.
 */
export class SandboxExecutionError extends SandboxError {
  readonly [marker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super("SANDBOX_EXECUTION", message, options);
  }

  static override isInstance(e: unknown): e is SandboxExecutionError {
    return hasMarker(e, marker);
  }
}
