import { describe, expect, it } from "vitest";
import { PolicyValidationError } from "./errors/policy-validation-error.js";
import { DEFAULT_POLICY, resolvePolicy } from "./policy.js";

describe("resolvePolicy", () => {
  it("fills in the documented defaults", () => {
    const p = resolvePolicy({});
    expect(p).toMatchObject({
      fuelBudget: 5_000_000_000,
      memoryBytes: 128 * 1024 * 1024,
      stdoutMaxBytes: 2_000_000,
      stderrMaxBytes: 1_000_000,
      timeoutMs: 30_000,
      env: {},
      deterministic: false,
      preserveLogs: false,
    });
    expect(p.mountDataDir).toBeUndefined();
    expect(DEFAULT_POLICY.fuelBudget).toBe(5_000_000_000);
  });

  it("merges layers, later ones winning, undefined values ignored", () => {
    const p = resolvePolicy({ fuelBudget: 10, timeoutMs: 5 }, { fuelBudget: 20, timeoutMs: undefined });
    expect(p.fuelBudget).toBe(20);
    expect(p.timeoutMs).toBe(5);
  });

  it("rejects a negative fuel budget with a typed, readable error", () => {
    const err = catchErr(() => resolvePolicy({ fuelBudget: -1 }));
    expect(PolicyValidationError.isInstance(err)).toBe(true);
    expect(err).toBeInstanceOf(PolicyValidationError);
    expect((err as PolicyValidationError).name).toBe("PolicyValidationError");
    expect((err as PolicyValidationError).message).toContain("fuelBudget");
    expect((err as PolicyValidationError).issues[0]?.path).toBe("fuelBudget");
  });

  it("names unknown keys", () => {
    const err = catchErr(() => resolvePolicy({ fuelBudjet: 5 } as never)) as PolicyValidationError;
    expect(err.message).toContain('unknown key "fuelBudjet"');
  });

  it("rejects env names that are not identifiers and values with NUL", () => {
    expect(() => resolvePolicy({ env: { "A=B": "x" } })).toThrow(PolicyValidationError);
    expect(() => resolvePolicy({ env: { A: "x\0y" } })).toThrow(PolicyValidationError);
  });

  it("refuses a guest data path that shadows /app or climbs", () => {
    expect(() => resolvePolicy({ guestDataPath: "/app/data" })).toThrow(/session workspace/);
    expect(() => resolvePolicy({ guestDataPath: "/data/../app" })).toThrow(/'\.\.'/);
  });

  it("rejects a non-object policy", () => {
    expect(() => resolvePolicy("fast" as never)).toThrow(PolicyValidationError);
  });
});

function catchErr(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}
