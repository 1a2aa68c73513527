/**
 * The plugin is imported on the main thread by `createSandbox`, while the pool's thread
 * boots and prepares a new process's first run (issue 18): it loads wasi-host's `./host`
 * entry, never its main entry (the meter, the VFS, the WASI and emscripten layers) nor
 * the binary rewriters of the image, which only the first process on a machine runs.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtGraph } from "@llm-wasm-sandbox/vitest-config/built-graph";
import { describe, expect, it } from "vitest";

/** The built package; `pnpm test` builds every package before vitest runs. */
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Bare specifiers statically imported by `entry` and the chunks it imports, and the chunks' sources. */
const staticGraph = (entry: string) => builtGraph(resolve(dist, entry));

describe("runtime-python's main entry", () => {
  it("loads wasi-host's ./host entry only, and no image rewriter", () => {
    const { bare, sources } = staticGraph("index.js");
    expect(bare).toContain("@llm-wasm-sandbox/wasi-host/host");
    expect([...bare].filter((s) => s.startsWith("@llm-wasm-sandbox/wasi-host") && s !== "@llm-wasm-sandbox/wasi-host/host")).toEqual([]);
    expect(sources).toContain("plugin.ts");
    expect([...sources].filter((s) => s.startsWith("image/") && s !== "image/pyodide-image.ts")).toEqual([]);
  });
});
