import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.StorageQuotaError");

/** A write would take the storage past its configured byte quota. */
export class StorageQuotaError extends SandboxError {
  readonly [marker] = true;
  readonly quotaBytes: number;

  constructor(quotaBytes: number, neededBytes: number) {
    super(
      "STORAGE_QUOTA",
      `storage quota of ${quotaBytes} bytes would be exceeded (${neededBytes} bytes needed) — delete files or sessions, or raise quotaBytes`,
    );
    this.quotaBytes = quotaBytes;
  }

  static override isInstance(e: unknown): e is StorageQuotaError {
    return hasMarker(e, marker);
  }
}
