import { CommonErrorType } from "@llm-wasm-sandbox/core";
import { javascript as jsState } from "@llm-wasm-sandbox/state";
import { rawRun } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { interpretJavaScriptRun, javascriptLanguageError, parseJavaScriptError } from "./interpret.js";

const raw = rawRun;

describe("interpreting JavaScript runs", () => {
  it("finds the last uncaught error header in stderr", () => {
    const stderr = "Error: logged earlier\nTypeError: cannot read property 'x' of undefined\n    at f (/app/user_code.js:2:5)\n";
    expect(parseJavaScriptError(stderr)).toEqual({ name: "TypeError", message: "cannot read property 'x' of undefined" });
    expect(parseJavaScriptError("all good\n")).toBeNull();
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

  it("succeeds only with exit code 0 and no trap", () => {
    expect(interpretJavaScriptRun(raw({}), false).success).toBe(true);
    expect(interpretJavaScriptRun(raw({ exitCode: 1, stderr: "Error: boom\n" }), false)).toMatchObject({ success: false, languageError: { name: "Error", message: "boom" } });
    expect(interpretJavaScriptRun(raw({ exitCode: -1, trapReason: "out_of_fuel" }), false).success).toBe(false);
  });

  it("moves the _state note into notes and out of stderr", () => {
    const stderr = `${jsState.skippedLine(["_state.f: function"])}`;
    const r = interpretJavaScriptRun(raw({ stderr }), true);
    expect(r.stderr).toBe("");
    expect(r.notes).toEqual(["Not persisted as-is in _state (not JSON): _state.f: function"]);
  });

  it("notes that _state was not saved after a failure", () => {
    const r = interpretJavaScriptRun(raw({ exitCode: 1, stderr: "Error: x\n" }), true);
    expect(r.notes).toEqual(["_state was not saved: the run did not finish successfully."]);
  });
});
