import { hasMarker, SandboxError } from "@llm-wasm-sandbox/core/errors";

const marker = Symbol.for("llm-wasm-sandbox.MeterError");

/**
 * The fuel meter could not rewrite a module: the bytes are not WebAssembly, are
 * truncated, or use an operator or feature the meter does not know how to charge.
 * The meter refuses rather than guessing, because a mis-metered module would let a
 * guest run past its fuel budget.
 */
export class MeterError extends SandboxError {
  readonly [marker] = true;
  /** Absolute function index the problem was found in, when it was inside code. */
  readonly functionIndex: number | null;
  /** Byte offset in the original module where the problem was found. */
  readonly offset: number;
  /** What was wrong, without the position and the advice. */
  readonly detail: string;
  /** True when the module is well-formed but over a `MeterLimits` cap. */
  readonly limitExceeded: boolean;

  constructor(
    detail: string,
    where: { offset: number; functionIndex?: number | null; limitExceeded?: boolean },
    options?: { cause?: unknown },
  ) {
    const fn = where.functionIndex == null ? "" : ` in function ${where.functionIndex}`;
    super(
      "METER_REJECTED",
      `[meter] ${detail}${fn} at byte offset ${where.offset} — the module cannot be instrumented for fuel; ` +
        "check it is a valid core WebAssembly module using only supported proposals " +
        "(MVP, sign-ext, sat-conversions, bulk memory, reference types, SIMD, tail calls, legacy exceptions)",
      options,
    );
    this.detail = detail;
    this.limitExceeded = where.limitExceeded === true;
    this.functionIndex = where.functionIndex ?? null;
    this.offset = where.offset;
  }

  static override isInstance(e: unknown): e is MeterError {
    return hasMarker(e, marker);
  }
}
