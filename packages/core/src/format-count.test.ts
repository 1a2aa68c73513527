import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCount } from "./format-count.js";

describe("formatCount", () => {
  it("groups digits like toLocaleString('en-US') for every safe integer and rounded fraction", () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.double({ min: -1e15, max: 1e15, noNaN: true })), (n) => {
        expect(formatCount(n)).toBe((Math.round(n) || 0).toLocaleString("en-US"));
      }),
    );
    expect(formatCount(0)).toBe("0");
    expect(formatCount(-0.2)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(-1234567)).toBe("-1,234,567");
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe("Infinity");
  });
});
