import { describe, expect, it } from "vitest";
import { instrumentModule } from "./instrument-module.js";
import { encodeULEB128 } from "../wasm-binary/leb128.js";
import { FC_IMM, FD_IMM, IMM_LANE, IMM_MEMARG, IMM_MEMARG_LANE, IMM_NONE, SINGLE_IMM } from "../wasm-binary/opcodes.js";

/**
 * A module with one function `() -> ()` and one memory whose body is `unreachable`,
 * the operator under test, `end`. After `unreachable` the operand stack is
 * polymorphic, so V8 validates any real operator whatever its operand types (the
 * `drop` after it discards whatever it pushed): that lets
 * us check the meter's opcode table against V8's decoder.
 */
function moduleWithOp(op: readonly number[]): Uint8Array<ArrayBuffer> {
  const body = [0x00, 0x00, ...op, 0x1a, 0x0b]; // locals, unreachable, op, drop, end
  const code = [0x01, body.length, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x0a, code.length, ...code,
  ]);
}

function immediatesFor(kind: number): number[] {
  if (kind === IMM_NONE) return [];
  if (kind === IMM_MEMARG) return [0x00, 0x00];
  if (kind === IMM_LANE) return [0x00];
  if (kind === IMM_MEMARG_LANE) return [0x00, 0x00, 0x00];
  return [];
}

/** Unsigned LEB128 as a plain array, for building test modules. */
function uleb(n: number): number[] {
  return [...encodeULEB128(n)];
}

describe("opcode tables agree with V8", () => {
  it("numeric single-byte opcodes: known ones validate and meter, unknown ones are refused by both", () => {
    for (let op = 0x45; op <= 0xcf; op++) {
      const bytes = moduleWithOp([op]);
      const known = SINGLE_IMM[op] === IMM_NONE;
      expect({ op, valid: WebAssembly.validate(bytes) }).toEqual({ op, valid: known });
      if (known) expect(WebAssembly.validate(instrumentModule(bytes).bytes)).toBe(true);
      else expect(() => instrumentModule(bytes)).toThrow(/unknown or unsupported opcode/);
    }
  });

  it("0xFC saturating-truncation opcodes validate and meter", () => {
    for (let sub = 0; sub <= 7; sub++) {
      const bytes = moduleWithOp([0xfc, sub]);
      expect(FC_IMM[sub]).toBe(IMM_NONE);
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(WebAssembly.validate(instrumentModule(bytes).bytes)).toBe(true);
    }
  });

  it("every 0xFD SIMD opcode without 16-byte immediates: the meter's table matches V8", () => {
    const mismatches: number[] = [];
    for (let sub = 0; sub < 0x100; sub++) {
      const kind = FD_IMM[sub]!;
      if (sub === 0x0c || sub === 0x0d) continue; // v128.const / shuffle: covered by the SIMD run test
      const bytes = moduleWithOp([0xfd, ...uleb(sub), ...immediatesFor(kind)]);
      if (WebAssembly.validate(bytes) !== (kind !== 0)) mismatches.push(sub);
      if (kind !== 0) expect(WebAssembly.validate(instrumentModule(bytes).bytes)).toBe(true);
      else expect(() => instrumentModule(bytes)).toThrow(/opcode 0xfd/);
    }
    expect(mismatches).toEqual([]);
  });
});
