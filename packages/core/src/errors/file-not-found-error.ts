import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.FileNotFoundError");

/** A workspace file does not exist. */
export class FileNotFoundError extends SandboxError {
  readonly [marker] = true;
  readonly sessionId: string;
  readonly path: string;

  constructor(sessionId: string, path: string) {
    super("FILE_NOT_FOUND", `file "${path}" not found in session "${sessionId}" — list the workspace to see what it holds`);
    this.sessionId = sessionId;
    this.path = path;
  }

  static override isInstance(e: unknown): e is FileNotFoundError {
    return hasMarker(e, marker);
  }
}
