/**
 * `./host` is what llm-wasm-sandbox and the runtime plugins load on the main thread: before
 * a new process can create its host and start the pool's thread, and while the thread
 * prepares the first run (issue 18). The modules only pool threads
 * use must stay out of its static graph: the meter, the virtual filesystem, WASI preview1
 * and the emscripten layer (~170 KB of JavaScript, loaded by the main entry).
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtGraph } from "@llm-wasm-sandbox/vitest-config/built-graph";
import { describe, expect, it } from "vitest";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** The source files bundled into `entry` and the chunks it statically imports. */
const bundledSources = (entry: string): Set<string> => builtGraph(resolve(dist, entry)).sources;

describe("the ./host entry", () => {
  it("loads the runner, the pool and module loading, and no meter, VFS, WASI or emscripten code", () => {
    const sources = [...bundledSources("host.js")];
    expect(sources).toEqual(expect.arrayContaining(["runner/runner.ts", "pool/worker-pool.ts", "session-worker/live-sessions.ts", "load-module.ts", "cache/cache-key.ts", "control/control-channel.ts"]));
    expect(sources.filter((s) => /^(vfs|wasi|emscripten)\//.test(s) || (s.startsWith("meter/") && !["meter/meter-version.ts", "meter/meter-error.ts", "meter/global-export-prefix.ts"].includes(s)))).toEqual([]);
  });

  it("the main entry still bundles them (the check above can fail)", () => {
    const sources = [...bundledSources("index.js")];
    expect(sources).toEqual(expect.arrayContaining(["vfs/virtual-fs.ts", "meter/instrument-module.ts", "emscripten/fs-syscalls.ts"]));
  });
});
