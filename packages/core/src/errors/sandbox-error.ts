import { hasMarker } from "./has-marker.js";

const marker = Symbol.for("llm-wasm-sandbox.error");

/** Stable machine-readable codes for every error the sandbox throws. */
export type SandboxErrorCode =
  | "POLICY_VALIDATION"
  | "SANDBOX_EXECUTION"
  | "SESSION_NOT_FOUND"
  | "SESSION_EXISTS"
  | "RUNTIME_NOT_INSTALLED"
  | "INVALID_SESSION_ID"
  | "INVALID_PATH"
  | "FILE_NOT_FOUND"
  | "STORAGE_CONFLICT"
  | "STORAGE_QUOTA"
  | "STORAGE"
  | "METER_REJECTED"
  | "COMPONENT_REJECTED"
  | "PACKAGE_VENDOR"
  | "TOOL_INPUT"
  | "EXECUTION_LIMIT"
  | "HOST_FILE"
  | "WASM_FORMAT"
  | "TOOLCHAIN_MISSING";

/**
 * Base class of every error thrown by llm-wasm-sandbox. Messages say what to do;
 * `code` is stable across releases; the original error is kept as `cause`.
 */
export class SandboxError extends Error {
  readonly [marker] = true;
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[llm-wasm-sandbox] ${message}`, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** True for any SandboxError, even one created by another copy of this package. */
  static isInstance(e: unknown): e is SandboxError {
    return hasMarker(e, marker);
  }
}
