/**
 * Exact instruction patterns in function bodies, matched on bytes: the few sequences of
 * ruby.wasm's Asyncify support code (wasm/machine.c, wasm/setjmp.c) the stack-layout
 * rewrite relocates. A pattern names its constants, so a match is checked by value, and
 * every finder reports all matches: the caller insists on the count it expects.
 */
import { concatBytes, encodeSLEB128, encodeULEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import type { FunctionBody } from "./module-patch.js";

const I32_CONST = 0x41;
const CALL = 0x10;
/** `i32.store` / `i32.load` with natural alignment and offset 0. */
const I32_STORE_0 = [0x36, 0x02, 0x00];
const I32_LOAD_0 = [0x28, 0x02, 0x00];

/** An `i32.const` operand found in a body: its value and where its LEB128 bytes are. */
export interface ConstOperand {
  readonly value: number;
  /** Offset of the LEB128 immediate in the module. */
  readonly at: number;
  readonly length: number;
}

/** A signed LEB128 i32 at `at` (at most 5 bytes), or null. */
export function readConst(bytes: Uint8Array, at: number, end: number): ConstOperand | null {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 5 && at + i < end; i++) {
    const b = bytes[at + i]!;
    result += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value: b & 0x40 ? result - scale : result, at, length: i + 1 };
  }
  return null;
}

function matches(bytes: Uint8Array, at: number, seq: ArrayLike<number>): boolean {
  for (let i = 0; i < seq.length; i++) if (bytes[at + i] !== seq[i]) return false;
  return true;
}

/** Every `i32.const C; call <callee>` in a body: the constants passed. */
export function constArgumentsOf(bytes: Uint8Array, body: FunctionBody, callee: number): ConstOperand[] {
  const call = [CALL, ...encodeULEB128(callee)];
  const out: ConstOperand[] = [];
  for (let p = body.start; p < body.end; p++) {
    if (bytes[p] !== I32_CONST) continue;
    const c = readConst(bytes, p + 1, body.end);
    if (c && matches(bytes, p + 1 + c.length, call)) out.push(c);
  }
  return out;
}

/** Every `i32.const <address>; i32.const V; i32.store` in a body: the stored constants V. */
export function constStoresTo(bytes: Uint8Array, body: FunctionBody, address: number): ConstOperand[] {
  const head = [I32_CONST, ...encodeSLEB128(address), I32_CONST];
  const out: ConstOperand[] = [];
  for (let p = body.start; p < body.end; p++) {
    if (!matches(bytes, p, head)) continue;
    const v = readConst(bytes, p + head.length, body.end);
    if (v && matches(bytes, v.at + v.length, I32_STORE_0)) out.push(v);
  }
  return out;
}

/** Every `i32.const A; i32.const <value>; i32.store` in a body: the addresses A. */
export function addressesStoring(bytes: Uint8Array, body: FunctionBody, value: number): number[] {
  const tail = [I32_CONST, ...encodeSLEB128(value), ...I32_STORE_0];
  const out: number[] = [];
  for (let p = body.start; p < body.end; p++) {
    if (bytes[p] !== I32_CONST) continue;
    const a = readConst(bytes, p + 1, body.end);
    if (a && matches(bytes, a.at + a.length, tail)) out.push(a.value);
  }
  return out;
}

/** True when the body is exactly `(func (result i32) i32.const <address> i32.load)`: a getter of a static pointer. */
export function isStaticGetter(bytes: Uint8Array, body: FunctionBody, address: number): boolean {
  const exact = [0x00, I32_CONST, ...encodeSLEB128(address), ...I32_LOAD_0, 0x0b];
  return body.end - body.start === exact.length && matches(bytes, body.start, exact);
}

/** The body with the given `i32.const` immediates replaced (LEB128 lengths may change). */
export function withConstants(bytes: Uint8Array, body: FunctionBody, edits: ReadonlyArray<{ readonly operand: ConstOperand; readonly value: number }>): Uint8Array {
  const sorted = [...edits].sort((a, b) => a.operand.at - b.operand.at);
  const parts: Uint8Array[] = [];
  let from = body.start;
  for (const { operand, value } of sorted) {
    if (operand.at < from || operand.at + operand.length > body.end) throw new Error("overlapping or foreign constant edit");
    parts.push(bytes.subarray(from, operand.at), encodeSLEB128(value));
    from = operand.at + operand.length;
  }
  parts.push(bytes.subarray(from, body.end));
  return concatBytes(parts);
}
