import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.InvalidPathError");

/** A workspace path is absolute, escapes the workspace, or is otherwise malformed. */
export class InvalidPathError extends SandboxError {
  readonly [marker] = true;
  readonly path: string;

  constructor(path: string, reason: string) {
    super(
      "INVALID_PATH",
      `invalid workspace path ${JSON.stringify(path.slice(0, 200))}: ${reason} — ` +
        "paths are relative to the session workspace (/app), e.g. \"data/input.csv\"",
    );
    this.path = path;
  }

  static override isInstance(e: unknown): e is InvalidPathError {
    return hasMarker(e, marker);
  }
}
