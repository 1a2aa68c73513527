import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.StorageConflictError");

/**
 * The session could not be changed: another writer changed it concurrently (the
 * commit was not applied), or, with `locked`, another process held its lock for
 * longer than the caller would wait.
 */
export class StorageConflictError extends SandboxError {
  readonly [marker] = true;
  readonly sessionId: string;
  /** True when the session was locked (nothing was attempted), false when a commit found it changed. */
  readonly locked: boolean;

  constructor(sessionId: string, detail: string, options?: { cause?: unknown; locked?: boolean }) {
    const locked = options?.locked ?? false;
    super(
      "STORAGE_CONFLICT",
      locked
        ? `session "${sessionId}" is in use (${detail}) — retry later, or raise the lock timeout`
        : `session "${sessionId}" was changed by another writer (${detail}) — retry the execution`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.sessionId = sessionId;
    this.locked = locked;
  }

  static override isInstance(e: unknown): e is StorageConflictError {
    return hasMarker(e, marker);
  }
}
