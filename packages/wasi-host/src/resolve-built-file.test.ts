import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resolveBuiltFile } from "./resolve-built-file.js";

const root = mkdtempSync(join(tmpdir(), "resolve-built-"));
mkdirSync(join(root, "src", "pool"), { recursive: true });
mkdirSync(join(root, "dist", "drivers"), { recursive: true });
writeFileSync(join(root, "dist", "worker.js"), "");
writeFileSync(join(root, "dist", "drivers", "x.js"), "");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveBuiltFile", () => {
  it("maps a module under src/ (any depth) to the package's dist/", () => {
    const caller = pathToFileURL(join(root, "src", "pool", "worker-pool.ts")).href;
    expect(resolveBuiltFile(caller, "worker.js")).toBe(pathToFileURL(join(root, "dist", "worker.js")).href);
  });

  it("resolves from a bundled chunk inside dist/", () => {
    const caller = pathToFileURL(join(root, "dist", "chunk-abc.js")).href;
    expect(resolveBuiltFile(caller, "./drivers/x.js")).toBe(pathToFileURL(join(root, "dist", "drivers", "x.js")).href);
  });

  it("fails with the build command when the build is missing", () => {
    const caller = pathToFileURL(join(root, "src", "run.ts")).href;
    expect(() => resolveBuiltFile(caller, "missing.js")).toThrow(/build the package first/);
  });
});
