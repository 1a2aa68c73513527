import { describe, expect, it } from "vitest";
import { ModuleResolutionError, hasModuleSyntax, resolveModule } from "./module-resolution.js";

const existing = new Set(["/app/lib.js", "/app/sub/util.mjs", "/data_js/csv.js"]);
const isFile = (p: string) => existing.has(p);

describe("module resolution", () => {
  it("resolves relative imports against the importing module", () => {
    expect(resolveModule("/app/user_code.js", "./lib.js", isFile)).toBe("/app/lib.js");
    expect(resolveModule("/app/sub/x.js", "../lib", isFile)).toBe("/app/lib.js");
    expect(resolveModule("/app/user_code.js", "./sub/util", isFile)).toBe("/app/sub/util.mjs");
  });

  it("resolves bare names to vendored utilities", () => {
    expect(resolveModule("/app/user_code.js", "csv", isFile)).toBe("/data_js/csv.js");
  });

  it("rejects an import climbing out of /app with ..", () => {
    expect(() => resolveModule("/app/user_code.js", "../../etc/passwd", isFile)).toThrow(ModuleResolutionError);
    expect(() => resolveModule("/app/user_code.js", "../../etc/passwd", isFile)).toThrow(/only be imported from \/app and \/data_js/);
  });

  it("rejects absolute imports of host paths", () => {
    expect(() => resolveModule("/app/user_code.js", "/etc/passwd", isFile)).toThrow(/Cannot find module '\/etc\/passwd'/);
  });

  it("rejects Node built-ins and npm packages with a message naming the alternatives", () => {
    expect(() => resolveModule("/app/user_code.js", "node:fs", isFile)).toThrow(/Node built-ins and npm packages are not available/);
    expect(() => resolveModule("/app/user_code.js", "lodash", isFile)).toThrow(/no such vendored utility/);
  });

  it("names the missing file", () => {
    expect(() => resolveModule("/app/user_code.js", "./nope.js", isFile)).toThrow(/no such file: \/app\/nope\.js/);
  });

  it("detects module syntax without mistaking identifiers for it", () => {
    expect(hasModuleSyntax('import { parse } from "csv";')).toBe(true);
    expect(hasModuleSyntax('import "./side-effect.js"')).toBe(true);
    expect(hasModuleSyntax("const a = 1;\nexport default a")).toBe(true);
    expect(hasModuleSyntax("export { a }")).toBe(true);
    expect(hasModuleSyntax("const importData = 1; exports.x = 2;")).toBe(false);
    expect(hasModuleSyntax('const m = await import("./lib.js")')).toBe(false);
  });
});
