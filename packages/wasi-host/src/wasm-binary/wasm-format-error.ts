import { hasMarker, SandboxError } from "@llm-wasm-sandbox/core/errors";

const marker = Symbol.for("llm-wasm-sandbox.WasmFormatError");

/**
 * The bytes are not a well-formed WebAssembly binary as far as the reader can tell:
 * they end early, a LEB128 integer is too long, a section runs past its end, or a
 * value is one the reader refuses. `offset` is where it stopped.
 */
export class WasmFormatError extends SandboxError {
  readonly [marker] = true;
  /** What was wrong, without the offset and the package prefix. */
  readonly detail: string;
  /** Byte offset in the binary where reading stopped. */
  readonly offset: number;

  constructor(detail: string, offset: number) {
    super("WASM_FORMAT", `malformed WebAssembly binary: ${detail} (at byte ${offset})`);
    this.detail = detail;
    this.offset = offset;
  }

  static override isInstance(e: unknown): e is WasmFormatError {
    return hasMarker(e, marker);
  }
}
