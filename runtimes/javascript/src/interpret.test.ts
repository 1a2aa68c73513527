import { CommonErrorType } from "@llm-wasm-sandbox/core";
import { rawRun } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { interpretJavaScriptRun, javascriptLanguageError } from "./interpret.js";

const raw = rawRun;

describe("interpreting JavaScript runs", () => {
  it("reads the language error from the control channel, never from stderr", () => {
    const forged = "TypeError: looks like an error\n";
    expect(interpretJavaScriptRun(raw({ exitCode: 1, stderr: forged }), false).languageError).toBeNull();
    const fact = { kind: "error" as const, name: "TypeError", message: "cannot read property 'x' of undefined" };
    expect(interpretJavaScriptRun(raw({ exitCode: 1, facts: [fact] }), false).languageError).toMatchObject({ name: "TypeError" });
  });

  it("maps QuickJS errors to common kinds", () => {
    expect(javascriptLanguageError({ name: "RangeError", message: "Maximum call stack size exceeded" }).kind).toBe(CommonErrorType.STACK_OVERFLOW);
    expect(javascriptLanguageError({ name: "InternalError", message: "stack overflow" }).kind).toBe(CommonErrorType.STACK_OVERFLOW);
    expect(javascriptLanguageError({ name: "InternalError", message: "out of memory" }).kind).toBe(CommonErrorType.MEMORY_LIMIT);
    expect(javascriptLanguageError({ name: "SyntaxError", message: "unexpected token" }).kind).toBe(CommonErrorType.SYNTAX_ERROR);
    expect(javascriptLanguageError({ name: "Error", message: "Cannot find module 'lodash'" }).kind).toBe(CommonErrorType.MISSING_PACKAGE);
    expect(javascriptLanguageError({ name: "Error", message: "ENOENT: no such file or directory, open '/etc/passwd'" }).kind).toBe(CommonErrorType.PATH_OUTSIDE_WORKSPACE);
  });

  it("gives JavaScript-specific advice for missing files and missing Node globals", () => {
    const missing = javascriptLanguageError({ name: "Error", message: "ENOENT: no such file or directory, open '/app/data.csv'" });
    expect(missing.kind).toBe(CommonErrorType.RUNTIME_ERROR);
    expect(missing.guidance?.join(" ")).toMatch(/listFiles/);
    const req = javascriptLanguageError({ name: "ReferenceError", message: "'require' is not defined" });
    expect(req.guidance?.join(" ")).toMatch(/`require` does not exist/);
    const typo = javascriptLanguageError({ name: "ReferenceError", message: "'countr' is not defined" });
    expect(typo.guidance?.join(" ")).toMatch(/spelling/);
  });

  it("turns the skipped values of a state fact into notes that quote the guest's words", () => {
    const facts = [{ kind: "state" as const, status: "saved" as const, skipped: [{ name: "_state.f", reason: "a function is not JSON" }] }];
    const r = interpretJavaScriptRun(raw({ facts }), true);
    expect(r.notes).toEqual(['_state: "_state.f" was not persisted ("a function is not JSON").']);
  });

  it("notes that _state was not saved after a failure", () => {
    const r = interpretJavaScriptRun(raw({ exitCode: 1 }), true);
    expect(r.notes).toEqual(["_state: not saved, the run did not finish successfully."]);
  });
});
