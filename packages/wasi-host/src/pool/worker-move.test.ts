import { describe, expect, it } from "vitest";
import { isMovedResult, moveResult } from "./worker-move.js";

describe("moveResult", () => {
  it("marks a result with buffers to move the way piscina's worker runtime recognizes", () => {
    const buffer = new ArrayBuffer(8);
    const value = { journal: new Uint8Array(buffer) };
    const moved = moveResult(value, [buffer]);
    expect(isMovedResult(moved)).toBe(true);
    expect((moved as unknown as Record<symbol, unknown>)[Symbol.for("Piscina.valueOf")]).toBe(value);
    expect((moved as unknown as Record<symbol, unknown>)[Symbol.for("Piscina.transferable")]).toEqual([buffer]);
  });

  it("returns the value itself when nothing is moved", () => {
    const value = { a: 1 };
    expect(moveResult(value, [])).toBe(value);
    expect(isMovedResult(value)).toBe(false);
  });
});
