import { describe, expect, it } from "vitest";
import { classifyTrap, describeStop } from "./classify-trap.js";
import type { RunLimits } from "./types.js";

const limits: RunLimits = {
  fuelBudget: 200_000_000,
  memoryBytes: 64 * 1024 * 1024,
  stdoutMaxBytes: 1000,
  stderrMaxBytes: 1000,
  timeoutMs: 300,
  deterministic: false,
  randomSeed: 0,
};

function trapOf(wat: string): unknown {
  // A real engine trap, not a hand-made error object: V8's messages are what we classify.
  try {
    runUnreachable(wat);
  } catch (error) {
    return error;
  }
  throw new Error("expected a trap");
}

function runUnreachable(kind: string): void {
  // (module (func (export "f") unreachable)) and (module (func (export "f") i32.const 1 i32.const 0 i32.div_s drop))
  const bodies: Record<string, number[]> = {
    unreachable: [0x00],
    div: [0x41, 0x01, 0x41, 0x00, 0x6d, 0x1a],
  };
  const body = bodies[kind] ?? [];
  const code = [0x00, ...body, 0x0b];
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
    0x0a, code.length + 2, 0x01, code.length, ...code,
  ]);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  (instance.exports.f as () => void)();
}

function overflowError(): unknown {
  const recurse = (n: number): number => recurse(n + 1) + 1;
  try {
    recurse(0);
  } catch (error) {
    return error;
  }
  throw new Error("expected a stack overflow");
}

describe("classifyTrap", () => {
  it("reports out_of_fuel when the fuel global went negative, whatever was thrown", () => {
    expect(classifyTrap({ error: trapOf("unreachable"), fuelRemaining: -3n, memoryLimitHit: false }).reason).toBe("out_of_fuel");
    expect(classifyTrap({ error: new Error("wrapped by glue"), fuelRemaining: -1n, memoryLimitHit: true }).reason).toBe("out_of_fuel");
  });

  it("reports unreachable for an unreachable trap with fuel left", () => {
    const trap = classifyTrap({ error: trapOf("unreachable"), fuelRemaining: 10n, memoryLimitHit: false });
    expect(trap).toEqual({ reason: "unreachable", message: "unreachable" });
  });

  it("reports other engine traps as trap with V8's message", () => {
    const trap = classifyTrap({ error: trapOf("div"), fuelRemaining: 10n, memoryLimitHit: false });
    expect(trap.reason).toBe("trap");
    expect(trap.message).toMatch(/divide by zero/);
  });

  it("reports stack_overflow for a call stack exhausted", () => {
    expect(classifyTrap({ error: overflowError(), fuelRemaining: 5n, memoryLimitHit: false }).reason).toBe("stack_overflow");
  });

  it("reports memory_limit when a grow was refused before the failure", () => {
    const trap = classifyTrap({ error: trapOf("unreachable"), fuelRemaining: 5n, memoryLimitHit: true });
    expect(trap.reason).toBe("memory_limit");
  });

  it("reports memory_limit when growing from JavaScript exceeded the maximum", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    let error: unknown;
    try {
      memory.grow(1);
    } catch (e) {
      error = e;
    }
    expect(classifyTrap({ error, fuelRemaining: null, memoryLimitHit: false }).reason).toBe("memory_limit");
  });

  it("reports host_error for anything that is not the guest's", () => {
    const trap = classifyTrap({ error: new TypeError("driver bug"), fuelRemaining: null, memoryLimitHit: false });
    expect(trap).toEqual({ reason: "host_error", message: "driver bug" });
  });
});

describe("describeStop", () => {
  it("names the budget and leaves the limit to raise to the guidance, which is worded per reader", () => {
    expect(describeStop({ reason: "out_of_fuel", message: "" }, limits)).toBe(
      "out of fuel after 200,000,000 instructions — look for an infinite loop, or do less work per run",
    );
  });

  it("names the limit for timeouts and memory", () => {
    expect(describeStop({ reason: "timeout", message: "" }, limits)).toContain("300 ms — make the code do less work");
    expect(describeStop({ reason: "memory_limit", message: "" }, limits)).toContain("64 MiB reached — use less memory");
  });
});
