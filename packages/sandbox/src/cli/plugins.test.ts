import { RuntimeRegistry } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { runtimeForExtension } from "./plugins.js";

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
