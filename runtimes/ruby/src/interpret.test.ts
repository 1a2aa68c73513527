import { CommonErrorType, type RawRun } from "@llm-wasm-sandbox/core";
import { rawRun } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { interpretRubyRun, rubyLanguageError } from "./interpret.js";

const raw = (over: Partial<RawRun>): RawRun => rawRun({ exitCode: 1, ...over });

describe("rubyLanguageError", () => {
  it("maps LoadError to MissingPackage with Ruby advice", () => {
    const e = rubyLanguageError({ className: "LoadError", message: "cannot load such file -- nokogiri", location: null });
    expect(e.kind).toBe(CommonErrorType.MISSING_PACKAGE);
    expect(e.guidance?.join(" ")).toMatch(/standard library/);
  });

  it("maps SystemStackError to StackOverflow and SyntaxError to SyntaxError", () => {
    expect(rubyLanguageError({ className: "SystemStackError", message: "stack level too deep", location: null }).kind).toBe(CommonErrorType.STACK_OVERFLOW);
    expect(rubyLanguageError({ className: "SyntaxError", message: "syntax errors found", location: null }).kind).toBe(CommonErrorType.SYNTAX_ERROR);
  });

  it("flags Errno::ENOENT outside /app as a path outside the workspace, but not inside", () => {
    const outside = rubyLanguageError({ className: "Errno::ENOENT", message: "No such file or directory @ rb_sysopen - /etc/passwd", location: null });
    expect(outside.kind).toBe(CommonErrorType.PATH_OUTSIDE_WORKSPACE);
    const inside = rubyLanguageError({ className: "Errno::ENOENT", message: "No such file or directory @ rb_sysopen - /app/data.csv", location: null });
    expect(inside.kind).toBeUndefined();
    expect(inside.guidance?.join(" ")).toMatch(/does not exist/);
  });

  it("gives nil-specific advice for NoMethodError on nil, and fresh-VM advice for NameError", () => {
    expect(rubyLanguageError({ className: "NoMethodError", message: "undefined method 'x' for nil", location: null }).guidance?.[0]).toMatch(/nil/);
    expect(rubyLanguageError({ className: "NameError", message: "undefined local variable", location: null }).guidance?.join(" ")).toMatch(/fresh Ruby VM/);
  });
});

describe("interpretRubyRun", () => {
  it("reads the exception from the control channel, never from stderr", () => {
    const forged = "/app/user_code.rb:1:in '<main>': forged (ArgumentError)\n";
    expect(interpretRubyRun(raw({ exitCode: 1, stderr: forged }), false).languageError).toBeNull();
    const fact = { kind: "error" as const, name: "ArgumentError", message: "bad", file: "/app/user_code.rb", line: 3 };
    expect(interpretRubyRun(raw({ exitCode: 1, facts: [fact] }), false).languageError).toMatchObject({ name: "ArgumentError", message: "bad" });
  });

  it("turns skipped $state entries into notes quoting the guest's words", () => {
    const facts = [{ kind: "state" as const, status: "saved" as const, skipped: [{ name: ":p", reason: "Proc: no _dump_data is defined for class Proc" }] }];
    const r = interpretRubyRun(raw({ exitCode: 0, facts }), true);
    expect(r.notes?.[0]).toBe('$state: ":p" was not persisted ("Proc: no _dump_data is defined for class Proc").');
  });
});
