import { describe, expect, it } from "vitest";
import { errorGuidance, type FailureFacts } from "./error-guidance.js";

const base: FailureFacts = {
  trapReason: null,
  stderr: "",
  stdoutTruncated: false,
  stderrTruncated: false,
  fuelBudget: 1000,
  memoryBytes: 64 * 1048576,
  timeoutMs: 1000,
};

describe("errorGuidance", () => {
  it("names a concrete fuel budget to retry with after out_of_fuel", () => {
    const g = errorGuidance({ ...base, fuelBudget: 5_000_000_000, trapReason: "out_of_fuel" });
    expect(g.actionableGuidance.join(" ")).toContain("about 20,000,000,000 would fit");
  });

  it.each([
    ["out_of_fuel", "OutOfFuel", /fuel budget/],
    ["memory_limit", "MemoryLimit", /64 MiB/],
    ["timeout", "Timeout", /1000 ms/],
    ["stack_overflow", "StackOverflow", /recursion/],
  ] as const)("maps trap %s to %s", (trapReason, errorType, advice) => {
    const g = errorGuidance({ ...base, trapReason });
    expect(g.errorType).toBe(errorType);
    expect(g.actionableGuidance.join(" ")).toMatch(advice);
    expect(g.relatedDocs.length).toBeGreaterThan(0);
  });

  it("uses the language's own advice and kind", () => {
    const g = errorGuidance({
      ...base,
      languageError: { name: "ModuleNotFoundError", message: "No module named 'numpy'", kind: "MissingPackage", guidance: ["Vendor it."] },
    });
    expect(g.errorType).toBe("MissingPackage");
    expect(g.errorMessage).toBe("ModuleNotFoundError: No module named 'numpy'");
    expect(g.actionableGuidance).toEqual(["Vendor it."]);
  });

  it("names the language error when it is not a common kind", () => {
    const g = errorGuidance({ ...base, languageError: { name: "ValueError", message: "boom" } });
    expect(g.errorType).toBe("ValueError");
  });

  it("recognizes a path outside the workspace in stderr", () => {
    const g = errorGuidance({ ...base, stderr: "FileNotFoundError: [Errno 44] No such file or directory: '/etc/passwd'" });
    expect(g.errorType).toBe("PathOutsideWorkspace");
  });

  it("does not call a missing workspace file a path outside the workspace", () => {
    const g = errorGuidance({ ...base, stderr: "FileNotFoundError: [Errno 44] No such file or directory: '/app/data.csv'", languageError: { name: "FileNotFoundError", message: "x" } });
    expect(g.errorType).toBe("FileNotFoundError");
    const up = errorGuidance({ ...base, stderr: "No such file or directory: '/app/../../etc/shadow'" });
    expect(up.errorType).toBe("PathOutsideWorkspace");
  });

  it("keeps a crafted, huge language error name and message short", () => {
    const g = errorGuidance({ ...base, languageError: { name: `Err${"x".repeat(300_000)}`, message: "m".repeat(100_000) } });
    expect(g.errorType.length).toBeLessThanOrEqual(120);
    expect(g.errorMessage!.length).toBeLessThanOrEqual(2000);
  });

  it("flags truncated output", () => {
    expect(errorGuidance({ ...base, stdoutTruncated: true }).errorType).toBe("OutputTruncated");
    const withLang = errorGuidance({ ...base, stderrTruncated: true, languageError: { name: "KeyError", message: "x" } });
    expect(withLang.actionableGuidance.at(-1)).toMatch(/cut at the output cap/);
  });

  it("a trap wins over a language error", () => {
    const g = errorGuidance({ ...base, trapReason: "out_of_fuel", languageError: { name: "KeyboardInterrupt", message: "" } });
    expect(g.errorType).toBe("OutOfFuel");
  });
});
