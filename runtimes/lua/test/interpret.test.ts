import { errorGuidance } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { luaLanguageError } from "../src/interpret.js";

const facts = { trapReason: null, stdoutTruncated: false, stderrTruncated: false, fuelBudget: 1, memoryBytes: 1, timeoutMs: 1 };

/** Classifies a message as the bootstrap reports it (`traceback` when the error was raised at run time). */
function classify(message: string, traceback = true) {
  return luaLanguageError({ message, hasTraceback: traceback });
}

describe("Lua error classification", () => {
  it("explains calling a nil global with Lua-specific advice", () => {
    const stderr = "lua: /app/user_code.lua:3: attempt to call a nil value (global 'prnt')\nstack traceback:\n\t/app/user_code.lua:3: in main chunk\n";
    const err = classify("/app/user_code.lua:3: attempt to call a nil value (global 'prnt')");
    expect(err.name).toBe("AttemptToCallNil");
    expect(err.message).toBe("attempt to call a nil value (global 'prnt')");
    const g = errorGuidance({ ...facts, stderr, languageError: err });
    expect(g.errorType).toBe("AttemptToCallNil");
    expect(g.actionableGuidance.join(" ")).toContain("global 'prnt'");
  });

  it("explains indexing nil", () => {
    const err = classify("/app/user_code.lua:1: attempt to index a nil value (field 'x')");
    expect(err.name).toBe("AttemptToIndexNil");
    expect(err.guidance?.join(" ")).toMatch(/field 'x'/);
  });

  it("maps stack overflow, missing modules, syntax errors and memory to the common kinds", () => {
    expect(classify("/app/user_code.lua:1: stack overflow").kind).toBe("StackOverflow");
    const missing = classify("/app/user_code.lua:1: module 'json' not found:\n\tno field package.preload['json']\n\tno file '/app/json.lua'");
    expect(missing.kind).toBe("MissingPackage");
    expect(missing.guidance?.join(" ")).toContain("/app/json.lua");
    expect(classify("/app/user_code.lua:2: 'end' expected near '<eof>'", false).kind).toBe("SyntaxError");
    expect(classify("not enough memory", false).kind).toBe("MemoryLimit");
  });

  it("keeps other errors as LuaError ", () => {
    expect(classify("/app/user_code.lua:1: boom").name).toBe("LuaError");
  });
});
