import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.StorageError");

/** A storage backend failed (I/O error, missing bucket, refused credentials). */
export class StorageError extends SandboxError {
  readonly [marker] = true;
  readonly adapter: string;

  constructor(adapter: string, message: string, options?: { cause?: unknown }) {
    super("STORAGE", `[${adapter}] ${message}`, options);
    this.adapter = adapter;
  }

  static override isInstance(e: unknown): e is StorageError {
    return hasMarker(e, marker);
  }
}
