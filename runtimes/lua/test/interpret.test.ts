import { errorGuidance } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { luaLanguageError, parseLuaError } from "../src/interpret.js";

const facts = { trapReason: null, stdoutTruncated: false, stderrTruncated: false, fuelBudget: 1, memoryBytes: 1, timeoutMs: 1 };

function classify(stderr: string) {
  const report = parseLuaError(stderr);
  expect(report).not.toBeNull();
  return luaLanguageError(report!);
}

describe("Lua error classification", () => {
  it("explains calling a nil global with Lua-specific advice", () => {
    const stderr = "lua: /app/user_code.lua:3: attempt to call a nil value (global 'prnt')\nstack traceback:\n\t/app/user_code.lua:3: in main chunk\n";
    const err = classify(stderr);
    expect(err.name).toBe("AttemptToCallNil");
    expect(err.message).toBe("attempt to call a nil value (global 'prnt')");
    const g = errorGuidance({ ...facts, stderr, languageError: err });
    expect(g.errorType).toBe("AttemptToCallNil");
    expect(g.actionableGuidance.join(" ")).toContain("global 'prnt'");
  });

  it("explains indexing nil", () => {
    const err = classify("lua: /app/user_code.lua:1: attempt to index a nil value (field 'x')\nstack traceback:\n");
    expect(err.name).toBe("AttemptToIndexNil");
    expect(err.guidance?.join(" ")).toMatch(/field 'x'/);
  });

  it("maps stack overflow, missing modules, syntax errors and memory to the common kinds", () => {
    expect(classify("lua: /app/user_code.lua:1: stack overflow\nstack traceback:\n").kind).toBe("StackOverflow");
    const missing = classify("lua: /app/user_code.lua:1: module 'json' not found:\n\tno field package.preload['json']\n\tno file '/app/json.lua'\nstack traceback:\n");
    expect(missing.kind).toBe("MissingPackage");
    expect(missing.guidance?.join(" ")).toContain("/app/json.lua");
    expect(classify("lua: /app/user_code.lua:2: 'end' expected near '<eof>'\n").kind).toBe("SyntaxError");
    expect(classify("lua: not enough memory\n").kind).toBe("MemoryLimit");
  });

  it("keeps other errors as LuaError and finds no report in clean stderr", () => {
    expect(classify("lua: /app/user_code.lua:1: boom\nstack traceback:\n").name).toBe("LuaError");
    expect(parseLuaError("just some output\n")).toBeNull();
  });
});
