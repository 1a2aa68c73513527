import { describe, expect, it } from "vitest";
import { fuelAnalysis } from "./fuel-analysis.js";

describe("fuelAnalysis", () => {
  it.each([
    [10, 100, "efficient"],
    [60, 100, "moderate"],
    [80, 100, "warning"],
    [95, 100, "critical"],
  ] as const)("%d of %d is %s", (consumed, budget, status) => {
    expect(fuelAnalysis(consumed, budget).status).toBe(status);
  });

  it("reports utilization with two decimals", () => {
    expect(fuelAnalysis(1, 3).utilizationPercent).toBe(33.33);
  });

  it("keeps the budget when it fits and suggests more when tight", () => {
    expect(fuelAnalysis(10, 1000).suggestedBudget).toBe(1000);
    const tight = fuelAnalysis(950, 1000);
    expect(tight.suggestedBudget).toBeGreaterThanOrEqual(1900);
    expect(tight.recommendation).toMatch(/raise fuelBudget/);
  });

  it("says exhausted and suggests a larger budget after running out", () => {
    const a = fuelAnalysis(1_000_000_500, 1_000_000_000, true);
    expect(a.status).toBe("exhausted");
    expect(a.suggestedBudget).toBe(4_000_000_000);
    expect(a.recommendation).toMatch(/infinite loop/);
  });

  it("names the timeout the suggested budget needs when the wall clock would stop it first", () => {
    // 1e9 fuel in 10 s: 4e9 needs ~40 s (60 s with headroom), past a 30 s limit.
    const slow = fuelAnalysis(1_000_000_000, 1_000_000_000, true, { durationMs: 10_000, timeoutMs: 30_000 });
    expect(slow.suggestedBudget).toBe(4_000_000_000);
    expect(slow.recommendation).toContain("retry with fuelBudget 4,000,000,000 with timeoutMs 60,000");
    const fast = fuelAnalysis(1_000_000_000, 1_000_000_000, true, { durationMs: 1_000, timeoutMs: 30_000 });
    expect(fast.recommendation).not.toContain("timeoutMs");
  });
});
