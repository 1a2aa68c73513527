import { CommonErrorType, type RawRun } from "@llm-wasm-sandbox/core";
import { rawRun } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { interpretRubyRun, parseRubyException, rubyLanguageError } from "./interpret.js";

const raw = (over: Partial<RawRun>): RawRun => rawRun({ exitCode: 1, ...over });

describe("parseRubyException", () => {
  it("parses a NoMethodError with its location", () => {
    const exc = parseRubyException(
      "/app/user_code.rb:2:in 'Object#g': undefined method 'foo' for nil (NoMethodError)\n\tfrom /app/user_code.rb:3:in '<main>'\n",
    );
    expect(exc).toEqual({ className: "NoMethodError", message: "undefined method 'foo' for nil", location: "/app/user_code.rb:2" });
  });

  it("parses namespaced classes and multi-line messages", () => {
    const exc = parseRubyException("/app/user_code.rb:1:in '<main>': line1 (ArgumentError)\nline2\n\tfrom x\n");
    expect(exc?.message).toBe("line1\nline2");
    const errno = parseRubyException("/app/user_code.rb:1:in 'IO.read': No such file or directory @ rb_sysopen - /etc/passwd (Errno::ENOENT)\n");
    expect(errno?.className).toBe("Errno::ENOENT");
  });

  it("parses a SyntaxError head, which has no 'in' part", () => {
    const exc = parseRubyException("/app/user_code.rb:1: syntax errors found (SyntaxError)\n> 1 | def f(:\n");
    expect(exc?.className).toBe("SyntaxError");
    expect(exc?.location).toBe("/app/user_code.rb:1");
  });

  it("returns null for stderr without an exception report", () => {
    expect(parseRubyException("bad\n")).toBeNull();
  });
});

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
  it("succeeds only with exit 0 and no trap", () => {
    expect(interpretRubyRun(raw({ exitCode: 0 }), false).success).toBe(true);
    expect(interpretRubyRun(raw({ exitCode: 0, trapReason: "out_of_fuel" }), false).success).toBe(false);
    expect(interpretRubyRun(raw({ exitCode: 3 }), false).success).toBe(false);
  });

  it("moves the state note from stderr into notes", () => {
    const r = interpretRubyRun(raw({ exitCode: 0, stderr: 'warn\n[llm-sandbox:state-skipped] ["\\"p\\" (Proc)"]\n' }), true);
    expect(r.stderr).toBe("warn\n");
    expect(r.notes?.[0]).toContain('"p" (Proc)');
  });
});
