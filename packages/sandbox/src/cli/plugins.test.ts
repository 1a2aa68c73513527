import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeRegistry } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { registerPluginModules, runtimeForExtension } from "./plugins.js";

// resolveRuntime registers every built-in plugin it imports, so the registry shows which
// plugins a lookup loaded (each import is start-up time of `llm-wasm-sandbox run`).
describe("runtimeForExtension", () => {
  it.each([
    [".rb", "ruby"],
    [".py", "python"],
    [".WAT", "wasm"],
    [".mjs", "javascript"],
  ])("finds the runtime of %s by importing only that plugin", async (ext, runtime) => {
    const registry = new RuntimeRegistry();
    expect(await runtimeForExtension(ext, registry)).toBe(runtime);
    expect(registry.list().map((p) => p.type)).toEqual([runtime]);
  });

  it("still asks every installed plugin about an extension no built-in usually claims", async () => {
    const registry = new RuntimeRegistry();
    expect(await runtimeForExtension(".txt", registry)).toBeNull();
    expect(registry.list().map((p) => p.type).sort()).toEqual(["javascript", "lua", "python", "ruby", "wasm"]);
  });
});

describe("registerPluginModules", () => {
  it("says a plugin module is missing only when it is, not when one of its own imports is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cli-plugins-"));
    try {
      const plugin = join(dir, "needs-dep.mjs");
      await writeFile(plugin, 'import "llm-wasm-sandbox-no-such-package";\nexport default {};\n');
      const registry = new RuntimeRegistry();
      await expect(registerPluginModules([plugin], registry)).rejects.toThrow(/Cannot find package 'llm-wasm-sandbox-no-such-package' imported from/);
      await expect(registerPluginModules([join(dir, "absent.mjs")], registry)).rejects.toThrow(/cannot find the plugin module/);
      await expect(registerPluginModules(["llm-wasm-sandbox-no-such-plugin"], registry)).rejects.toThrow(/cannot find the plugin module "llm-wasm-sandbox-no-such-plugin"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
