/**
 * The driver loads in a new process's pool thread, on the critical path of its first run
 * of a module (the CLI's `run hello.wat`): it must reach wasi-host only through its
 * `./driver` and `./wasm-binary` entries and core only through its zod-free `./errors`
 * entry. wasi-host's main entry loads core's main entry, which loads zod's ~95 modules:
 * with the pool library the project used then, ~190 ms of that run under load. The plugin, loaded on the main thread,
 * takes wasi-host's `./host` entry, not the main one (which adds the meter and the VFS).
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtGraph } from "@llm-wasm-sandbox/vitest-config/built-graph";
import { describe, expect, it } from "vitest";

/** The built package; `pnpm test` builds every package before vitest runs. */
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Bare specifiers statically imported by `entry` and the chunks it imports. */
const bareImports = (entry: string): string[] => [...builtGraph(resolve(dist, entry)).bare];

describe("runtime-wasm's built entries", () => {
  it("the driver never loads zod, core's main entry or wasi-host's main entry", () => {
    const bare = bareImports("wasm-driver.js");
    expect(bare).toContain("@llm-wasm-sandbox/wasi-host/driver");
    const heavy = (s: string) => s === "zod" || s.startsWith("zod/") || s === "@llm-wasm-sandbox/core" || s === "@llm-wasm-sandbox/wasi-host";
    expect(bare.filter(heavy)).toEqual([]);
  });

  it("the plugin loads wasi-host's ./host entry, never its main entry", () => {
    const bare = bareImports("index.js");
    expect(bare).toContain("@llm-wasm-sandbox/wasi-host/host");
    expect(bare).not.toContain("@llm-wasm-sandbox/wasi-host");
  });
});
