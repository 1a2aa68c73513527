import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.StorageQuotaError");

/** What a StorageQuotaError is about: the adapter's total, or one session's bytes or files. */
export interface StorageQuotaDetail {
  /** The session whose quota it is; absent for an adapter-wide quota. */
  readonly sessionId?: string | undefined;
  /** "bytes" (default) or "files". */
  readonly unit?: "bytes" | "files" | undefined;
  /** The option or policy field that sets the limit, named in the message. */
  readonly setting?: string | undefined;
}

/** A write would take the storage (or one session) past a configured quota; nothing was written. */
export class StorageQuotaError extends SandboxError {
  readonly [marker] = true;
  /** The limit (bytes, or files when `unit` is "files"). Kept under this name for compatibility. */
  readonly quotaBytes: number;
  /** What the write needed, in the same unit. */
  readonly needed: number;
  readonly unit: "bytes" | "files";
  readonly sessionId: string | undefined;

  constructor(quota: number, needed: number, detail: StorageQuotaDetail = {}) {
    const unit = detail.unit ?? "bytes";
    const whose = detail.sessionId === undefined ? "storage" : `session "${detail.sessionId}"`;
    super(
      "STORAGE_QUOTA",
      `${whose} quota of ${quota} ${unit} would be exceeded (${needed} ${unit} needed); nothing was written — delete files or sessions, or raise ${detail.setting ?? "quotaBytes"}`,
    );
    this.quotaBytes = quota;
    this.needed = needed;
    this.unit = unit;
    this.sessionId = detail.sessionId;
  }

  static override isInstance(e: unknown): e is StorageQuotaError {
    return hasMarker(e, marker);
  }
}
