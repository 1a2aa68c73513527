import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { addPackageHint, importOptional } from "./optional-package.js";

describe("optional peer dependencies", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("imports an installed package", async () => {
    const mod = await importOptional<{ default?: { type?: string } }>("@llm-wasm-sandbox/runtime-lua");
    expect(mod?.default?.type).toBe("lua");
  });

  it("returns null for a package that is not installed", async () => {
    expect(await importOptional("@llm-wasm-sandbox/runtime-cobol")).toBeNull();
  });

  it("throws when the package is installed but one of its own dependencies is missing (a broken install is loud)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-optional-"));
    dirs.push(dir);
    const pkg = join(dir, "node_modules", "half-installed");
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "half-installed", type: "module", exports: "./index.js" }));
    await writeFile(join(pkg, "index.js"), 'export * from "not-installed-dependency-of-half-installed";\n');
    // Resolve it from the temporary tree, as the server resolves its peers from its own.
    const entry = pathToFileURL(join(pkg, "index.js")).href;
    await expect(importOptional(entry)).rejects.toThrow(/not-installed-dependency-of-half-installed/);
  });

  it("says how to add a package for a global install, npx and a project", () => {
    const hint = addPackageHint("@llm-wasm-sandbox/runtime-ruby");
    expect(hint).toContain("npm install -g @llm-wasm-sandbox/runtime-ruby");
    expect(hint).toContain("npx -y -p @llm-wasm-sandbox/mcp-server -p @llm-wasm-sandbox/runtime-ruby llm-wasm-mcp");
    expect(hint).toContain("npm install @llm-wasm-sandbox/runtime-ruby");
  });
});
