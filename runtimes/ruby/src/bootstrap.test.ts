import { describe, expect, it } from "vitest";
import { USER_CODE_PATH, runScript, rubyString } from "./bootstrap.js";

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

describe("runScript", () => {
  it("passes env, args and the state path as literals", () => {
    const script = runScript({ env: { A: "1" }, args: ["--x"], statePath: "/app/.s", controlPath: "/tmp/c" });
    expect(script).toBe(`LLMSandboxRuntime.run('${USER_CODE_PATH}', {'A' => '1'}, ['--x'], '/app/.s', '/tmp/c')`);
  });

  it("passes nil when state is not persisted", () => {
    expect(runScript({ env: {}, args: [], statePath: null, controlPath: "/tmp/c" })).toMatch(/, \{\}, \[\], nil, '\/tmp\/c'\)$/);
  });
});
