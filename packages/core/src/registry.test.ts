import { describe, expect, it } from "vitest";
import { PolicyValidationError } from "./errors/policy-validation-error.js";
import { RuntimeRegistry } from "./registry.js";
import type { RuntimePlugin } from "./runtime-plugin.js";

const plugin = (type: string): RuntimePlugin => ({
  specificationVersion: "v2",
  type,
  displayName: type.toUpperCase(),
  languageVersion: "X 1",
  fileExtension: ".x",
  packageName: `pkg-${type}`,
  version: "1.0.0",
  prepare: () => ({ kind: "refusal", name: "NotNeeded", message: "not needed" }),
  interpret: () => ({}),
});

describe("RuntimeRegistry", () => {
  it("registers, lists sorted and looks up plugins", () => {
    const r = new RuntimeRegistry();
    r.register(plugin("zeta"));
    r.register(plugin("alpha"));
    expect(r.list().map((p) => p.type)).toEqual(["alpha", "zeta"]);
    expect(r.get("alpha")?.displayName).toBe("ALPHA");
    expect(r.has("beta")).toBe(false);
  });

  it("refuses a second plugin for the same type unless replace is set", () => {
    const r = new RuntimeRegistry();
    r.register(plugin("lang"));
    expect(() => r.register(plugin("lang"))).toThrow(/already registered/);
    const other = { ...plugin("lang"), displayName: "Other" };
    r.register(other, { replace: true });
    expect(r.get("lang")?.displayName).toBe("Other");
  });

  it("refuses a v1 plugin with a message that says how to port it", () => {
    const r = new RuntimeRegistry();
    const v1 = { specificationVersion: "v1", type: "old", displayName: "Old", fileExtension: ".o", packageName: "old", version: "1.0.0", load: () => Promise.resolve({}) };
    expect(() => r.register(v1 as never)).toThrow(/v1 runtime contract.*needs v2/);
  });

  it("rejects objects that are not v2 plugins", () => {
    const r = new RuntimeRegistry();
    expect(() => r.register({ ...plugin("x"), specificationVersion: "v0" } as never)).toThrow(PolicyValidationError);
    expect(() => r.register({ ...plugin("Bad Name") })).toThrow(/lowercase/);
    expect(() => r.register({ ...plugin("x"), fileExtension: "py" })).toThrow(/extension/);
  });
});
