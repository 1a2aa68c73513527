import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.SessionNotFoundError");

/** A session id was given that the storage adapter does not hold. */
export class SessionNotFoundError extends SandboxError {
  readonly [marker] = true;
  readonly sessionId: string;

  constructor(sessionId: string) {
    super(
      "SESSION_NOT_FOUND",
      `session "${sessionId}" not found — check the id, or pass createIfMissing: true to start it`,
    );
    this.sessionId = sessionId;
  }

  static override isInstance(e: unknown): e is SessionNotFoundError {
    return hasMarker(e, marker);
  }
}
