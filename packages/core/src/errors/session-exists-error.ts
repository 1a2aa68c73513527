import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.SessionExistsError");

/** A session was created with an id that is already taken. */
export class SessionExistsError extends SandboxError {
  readonly [marker] = true;
  readonly sessionId: string;

  constructor(sessionId: string) {
    super("SESSION_EXISTS", `session "${sessionId}" already exists — resume it instead of creating it`);
    this.sessionId = sessionId;
  }

  static override isInstance(e: unknown): e is SessionExistsError {
    return hasMarker(e, marker);
  }
}
