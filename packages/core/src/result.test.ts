import { describe, expect, it } from "vitest";
import { fuelAnalysis } from "./guidance/fuel-analysis.js";
import { SandboxResultSchema } from "./result.js";

const fields = {
  stdout: "",
  stderr: "",
  exitCode: 0,
  fuelConsumed: 10,
  memoryUsedBytes: 65536,
  durationMs: 1,
  filesCreated: [],
  filesModified: [],
  filesDeleted: [],
  sessionId: "s",
  runtime: "python",
  stdoutTruncated: false,
  stderrTruncated: false,
  fuelAnalysis: fuelAnalysis(10, 100),
  notes: [],
  toolCalls: [],
};
const guidance = { errorType: "Timeout", errorMessage: null, actionableGuidance: ["x"], steps: ["x", { remedy: "raise-timeout", currentMs: 1000 }], relatedDocs: [] };
const none = { trapReason: null, trapMessage: null };

describe("SandboxResultSchema", () => {
  it("accepts each of the three outcomes", () => {
    expect(SandboxResultSchema.safeParse({ ...fields, ...none, success: true, trapped: false, errorGuidance: null }).success).toBe(true);
    expect(SandboxResultSchema.safeParse({ ...fields, ...none, success: false, trapped: false, errorGuidance: guidance }).success).toBe(true);
    const trapped = { ...fields, success: false, trapped: true, trapReason: "timeout", trapMessage: null, errorGuidance: guidance };
    expect(SandboxResultSchema.safeParse(trapped).success).toBe(true);
  });

  it("rejects contradictory results", () => {
    // trapped without a reason, a reason without trapped, a failure without guidance, a trapped success
    expect(SandboxResultSchema.safeParse({ ...fields, ...none, success: false, trapped: true, errorGuidance: guidance }).success).toBe(false);
    expect(SandboxResultSchema.safeParse({ ...fields, success: false, trapped: false, trapReason: "timeout", trapMessage: null, errorGuidance: guidance }).success).toBe(false);
    expect(SandboxResultSchema.safeParse({ ...fields, ...none, success: false, trapped: false, errorGuidance: null }).success).toBe(false);
    expect(SandboxResultSchema.safeParse({ ...fields, success: true, trapped: true, trapReason: "timeout", trapMessage: null, errorGuidance: null }).success).toBe(false);
  });
});
