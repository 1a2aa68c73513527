import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.StorageConflictError");

/** Another writer changed the session concurrently; the commit was not applied. */
export class StorageConflictError extends SandboxError {
  readonly [marker] = true;
  readonly sessionId: string;

  constructor(sessionId: string, detail: string, options?: { cause?: unknown }) {
    super("STORAGE_CONFLICT", `session "${sessionId}" was changed by another writer (${detail}) — retry the execution`, options);
    this.sessionId = sessionId;
  }

  static override isInstance(e: unknown): e is StorageConflictError {
    return hasMarker(e, marker);
  }
}
