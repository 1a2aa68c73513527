import { describe, expect, it } from "vitest";
import { isMovedResult, moveResult, unwrapMoved } from "./worker-move.js";

describe("moveResult", () => {
  it("marks a result with buffers to move, and the thread entry finds value and buffers in it", () => {
    const buffer = new ArrayBuffer(8);
    const value = { journal: new Uint8Array(buffer) };
    const moved = moveResult(value, [buffer]);
    expect(isMovedResult(moved)).toBe(true);
    const { value: posted, transfer } = unwrapMoved(moved);
    expect(posted).toBe(value);
    expect(transfer).toEqual([buffer]);
  });

  it("returns the value itself when nothing is moved, and posts it as it is", () => {
    const value = { a: 1 };
    expect(moveResult(value, [])).toBe(value);
    expect(isMovedResult(value)).toBe(false);
    expect(unwrapMoved(value)).toEqual({ value, transfer: [] });
  });

  it("is not fooled by a result that only looks moved (a guest-shaped object without the registered symbol)", () => {
    const value = { value: { a: 1 }, transfer: [new ArrayBuffer(8)], moved: true };
    expect(isMovedResult(value)).toBe(false);
    expect(unwrapMoved(value).value).toBe(value);
  });
});
