/**
 * What `import "llm-wasm-sandbox"` loads before a new process can create its host and
 * start the pool's thread (issue 18: a new process's first execute). The main thread
 * needs wasi-host's `./host` entry, not its main entry (the meter, the VFS, WASI and
 * emscripten layers: pool threads' code), and the TOML parser only when a policy file is
 * read. The runtime plugin, imported by `createSandbox`, loads the rest later, while the
 * thread boots.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtGraph } from "@llm-wasm-sandbox/vitest-config/built-graph";
import { describe, expect, it } from "vitest";

/** The built package; `pnpm test` builds every package before vitest runs. */
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Bare specifiers statically imported by `entry` and the chunks it imports. */
const staticImports = (entry: string): Set<string> => builtGraph(resolve(dist, entry)).bare;

describe("llm-wasm-sandbox's main entry", () => {
  it("loads wasi-host's ./host entry, not its main entry, and no TOML parser", () => {
    const imports = staticImports("index.js");
    expect(imports).toContain("@llm-wasm-sandbox/wasi-host/host");
    expect(imports).toContain("@llm-wasm-sandbox/core");
    expect([...imports].filter((s) => s === "@llm-wasm-sandbox/wasi-host" || s === "smol-toml")).toEqual([]);
  });
});
