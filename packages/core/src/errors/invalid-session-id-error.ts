import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.InvalidSessionIdError");

/** A session id is not canonical (path separators, `..`, control characters, too long). */
export class InvalidSessionIdError extends SandboxError {
  readonly [marker] = true;
  readonly sessionId: string;

  constructor(sessionId: string, reason: string) {
    super(
      "INVALID_SESSION_ID",
      `invalid session id ${JSON.stringify(sessionId.slice(0, 80))}: ${reason} — ` +
        "use letters, digits, '-', '_' and '.' (a UUID is best)",
    );
    this.sessionId = sessionId;
  }

  static override isInstance(e: unknown): e is InvalidSessionIdError {
    return hasMarker(e, marker);
  }
}
