import { describe, expect, it } from "vitest";
import { instrumentModule } from "./instrument-module.js";
import { MeterError } from "./meter-error.js";
import { wat } from "./test-support.js";

describe("meter limits (modules of unknown origin)", () => {
  it("refuses blocks nested deeper than maxNestingDepth, as a limit, naming the function", async () => {
    const bytes = await wat(`(module (func) (func ${"(block ".repeat(60)}${")".repeat(60)}))`);
    expect(() => instrumentModule(bytes, {}, { maxNestingDepth: 60 })).not.toThrow();
    let error: unknown;
    try {
      instrumentModule(bytes, {}, { maxNestingDepth: 59 });
    } catch (e) {
      error = e;
    }
    expect(MeterError.isInstance(error)).toBe(true);
    const e = error as MeterError;
    expect(e.detail).toBe("blocks nest deeper than 59 levels");
    expect(e.functionIndex).toBe(1);
    expect(e.limitExceeded).toBe(true);
  });

  it("refuses an instrumented module over maxOutputBytes", async () => {
    const bytes = await wat(`(module (func (export "f") ${"(drop (i32.const 1)) ".repeat(200)}))`);
    const size = instrumentModule(bytes).bytes.length;
    expect(() => instrumentModule(bytes, {}, { maxOutputBytes: size })).not.toThrow();
    expect(() => instrumentModule(bytes, {}, { maxOutputBytes: size - 1 })).toThrow(/the metered module would be \d+ bytes; at most \d+ are allowed/);
  });

  it("reports malformed bytes as a MeterError that is not a limit", () => {
    let error: unknown;
    try {
      instrumentModule(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0x7f));
    } catch (e) {
      error = e;
    }
    expect(MeterError.isInstance(error)).toBe(true);
    expect((error as MeterError).limitExceeded).toBe(false);
    expect((error as MeterError).detail).toMatch(/the type section declares 127 bytes but only 0 remain/);
  });
});
