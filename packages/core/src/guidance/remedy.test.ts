import { describe, expect, it } from "vitest";
import { errorGuidance, type FailureFacts } from "./error-guidance.js";
import { type GuidanceStep, renderGuidance } from "./remedy.js";

const facts: FailureFacts = { trapReason: null, stderr: "", stdoutTruncated: false, stderrTruncated: false, fuelBudget: 1e9, memoryBytes: 64 * 1048576, timeoutMs: 30_000 };

describe("renderGuidance", () => {
  const steps: GuidanceStep[] = ["Look for an infinite loop first.", { remedy: "raise-fuel", suggested: 4e9 }];

  it("words a remedy for each channel, with only that reader's knobs", () => {
    expect(renderGuidance(steps, { channel: "api" })[1]).toContain("policy.fuelBudget");
    const cli = renderGuidance(steps, { channel: "cli" })[1]!;
    expect(cli).toContain("--fuel 4000000000");
    expect(cli).not.toContain("policy.");
    const mcp = renderGuidance(steps, { channel: "mcp" })[1]!;
    expect(mcp).toContain("execute_code");
    expect(mcp).not.toMatch(/policy\.|--fuel|fuelBudget/);
    const tool = renderGuidance(steps, { channel: "tool" })[1]!;
    expect(tool).toContain("several calls");
    expect(tool).not.toMatch(/policy\.|--fuel|fuelBudget|execute_code/);
    for (const channel of ["api", "cli", "mcp", "tool"] as const) expect(renderGuidance(steps, { channel })[0]).toBe("Look for an infinite loop first.");
  });

  it("tells a model behind a framework tool only what another call can do", () => {
    const steps: GuidanceStep[] = [
      { remedy: "raise-timeout", currentMs: 30_000 },
      { remedy: "install-package", name: "attrs" },
      { remedy: "raise-memory", currentBytes: 64 * 1048576 },
      { remedy: "persist-state", what: "globals" },
    ];
    const text = renderGuidance(steps, { channel: "tool" });
    expect(text).toEqual([
      "The memory cap (64 MiB) is set by the application: work on the data in smaller pieces.",
      "To keep values between calls, write them to files under /app and read them back in the next call.",
    ]);
  });

  it("leaves out what an MCP model cannot do", () => {
    const timeout: GuidanceStep[] = [{ remedy: "raise-timeout", currentMs: 300_000 }];
    expect(renderGuidance(timeout, { channel: "mcp", maxTimeoutMs: 300_000 })).toEqual([]);
    expect(renderGuidance(timeout, { channel: "mcp", maxTimeoutMs: 600_000 })[0]).toContain("at most 600");
    const install: GuidanceStep[] = [{ remedy: "install-package", name: "attrs" }];
    expect(renderGuidance(install, { channel: "mcp", canInstallPackages: false })).toEqual([]);
    expect(renderGuidance(install, { channel: "mcp", canInstallPackages: true })[0]).toContain('install_package with package "attrs"');
    expect(renderGuidance(install, { channel: "cli" })[0]).toContain("llm-wasm-sandbox vendor add attrs");
  });

  it("does not tell a session that already persists its state to enable persistence", () => {
    const step: GuidanceStep[] = [{ remedy: "persist-state", what: "globals" }];
    for (const channel of ["api", "cli", "mcp"] as const) {
      const text = renderGuidance(step, { channel, autoPersistGlobals: true })[0]!;
      expect(text).toContain("keeps globals between runs");
      expect(text).not.toMatch(/autoPersistGlobals: true|--auto-persist-globals|create_session/);
    }
    expect(renderGuidance(step, { channel: "mcp" })[0]).toContain("create_session(auto_persist_globals=true)");
    expect(renderGuidance(step, { channel: "cli" })[0]).toContain("--auto-persist-globals");
  });
});

describe("errorGuidance renders for its reader", () => {
  it("keeps the unrendered steps, and words actionableGuidance for the API unless told otherwise", () => {
    const g = errorGuidance({ ...facts, trapReason: "memory_limit" });
    expect(g.actionableGuidance.join(" ")).toContain("policy.memoryBytes");
    expect(g.steps).toContainEqual({ remedy: "raise-memory", currentBytes: 64 * 1048576 });
    const mcp = errorGuidance({ ...facts, trapReason: "memory_limit", reader: { channel: "mcp" } });
    expect(mcp.actionableGuidance.join(" ")).not.toContain("policy.");
    expect(renderGuidance(g.steps, { channel: "mcp" })).toEqual(mcp.actionableGuidance);
  });

  it("takes a runtime's remedies as well as its sentences", () => {
    const g = errorGuidance({ ...facts, languageError: { name: "ModuleNotFoundError", message: "No module named 'attrs'", kind: "MissingPackage", guidance: ["'attrs' cannot be imported.", { remedy: "install-package", name: "attrs" }] } });
    expect(renderGuidance(g.steps, { channel: "mcp", canInstallPackages: true })).toEqual(["'attrs' cannot be imported.", expect.stringContaining("install_package") as string]);
  });
});

describe("errorMessageFor", () => {
  it("words a missing session for the CLI and MCP readers, who have no createIfMissing", async () => {
    const { SessionNotFoundError } = await import("../errors/session-not-found-error.js");
    const { errorMessageFor } = await import("./error-message.js");
    const e = new SessionNotFoundError("s-1");
    expect(e.message).toContain("createIfMissing");
    expect(errorMessageFor(e, "api")).toBeNull();
    expect(errorMessageFor(e, "cli")).toContain("--session s-1");
    expect(errorMessageFor(e, "mcp")).toContain("omit session_id");
    for (const channel of ["cli", "mcp"] as const) expect(errorMessageFor(e, channel)).not.toContain("createIfMissing");
    expect(errorMessageFor(new Error("x"), "mcp")).toBeNull();
  });
});
