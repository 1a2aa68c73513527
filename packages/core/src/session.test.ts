import { describe, expect, it } from "vitest";
import { InvalidSessionIdError } from "./errors/invalid-session-id-error.js";
import { canonicalSessionId } from "./session.js";

describe("canonicalSessionId", () => {
  it("accepts UUIDs and simple names", () => {
    expect(canonicalSessionId("0b9f3c1e-2a4d-4c5e-8f6a-7b8c9d0e1f2a")).toBe("0b9f3c1e-2a4d-4c5e-8f6a-7b8c9d0e1f2a");
    expect(canonicalSessionId("agent_1.run-2")).toBe("agent_1.run-2");
  });

  it.each([
    ["../x", "'/'"],
    ["a/b", "'/'"],
    ["a\\b", "'\\'"],
    ["..", "'..'"],
    ["a..b", "'..'"],
    ["", "empty"],
    [".hidden", "starts with"],
    ["x".repeat(200), "longer"],
    ["tab\tname", "characters"],
  ])("rejects %j", (id, why) => {
    expect(() => canonicalSessionId(id)).toThrow(InvalidSessionIdError);
    expect(() => canonicalSessionId(id)).toThrow(why);
  });

  it("requires a UUID when allowNonUuid is false", () => {
    expect(() => canonicalSessionId("my-session", { allowNonUuid: false })).toThrow(/UUID/);
  });
});
