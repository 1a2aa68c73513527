import { describe, expect, it } from "vitest";
import { runLine, rubyString, SNAPSHOT_FILES } from "./bootstrap.js";

describe("rubyString", () => {
  it("escapes only backslashes and single quotes", () => {
    expect(rubyString("plain")).toBe("'plain'");
    expect(rubyString("it's")).toBe("'it\\'s'");
    expect(rubyString("a\\b")).toBe("'a\\\\b'");
    expect(rubyString("#{system('x')}\n")).toBe("'#{system(\\'x\\')}\n'");
  });

  it("cannot be closed early by a trailing backslash", () => {
    // '\' would escape the closing quote if the backslash were kept as is.
    expect(rubyString("x\\")).toBe("'x\\\\'");
  });
});

describe("runLine", () => {
  it("passes the run's parameters as one JSON string literal", () => {
    const params = { path: "/app/user_code.rb", env: { A: "it's" }, argv: ["--x"], statePath: null, controlPath: "/tmp/c", tools: null };
    const line = runLine(params);
    expect(line).toBe(`LLMSandboxRuntime.start(${rubyString(JSON.stringify(params))})`);
    expect(line).toMatch(/^LLMSandboxRuntime\.start\('[^]*'\)$/);
  });
});

describe("guest files", () => {
  it("are inlined in snapshot order, runtime first", () => {
    expect(SNAPSHOT_FILES.map((f) => f.name)).toEqual(["runtime.rb", "state.rb", "compat.rb", "tools.rb", "preload.rb"]);
    expect(SNAPSHOT_FILES[0]!.source).toContain("module LLMSandboxRuntime");
    expect(SNAPSHOT_FILES[1]!.source).toContain("module LLMSandboxState");
  });
});
