/**
 * What a new worker thread loads before its first run: the worker entry, the preparer and
 * the `./driver` entry every runtime driver imports. Core's main entry (with zod) costs a
 * thread ~100–300 ms to load, so these built files must reach core only through its
 * zod-free subpaths (`/errors`, `/guest-facts`, `/commit-plan`, `/workspace-path`). Nor
 * do they load piscina (the pool is our own, `pool/thread-pool.ts`; a result is moved with
 * `pool/worker-move.ts`). The `./prestart` entry (the CLI's first import,
 * loaded before anything else) must not load core's main entry or zod either.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtGraph } from "@llm-wasm-sandbox/vitest-config/built-graph";
import { describe, expect, it } from "vitest";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");
/** What threads load by URL: the thread build (dist/thread/, see tsup.config.ts). */
const THREAD_ENTRIES = ["thread/worker.js", "thread/pool/thread-entry.js", "thread/start-hint/worker-entry.js", "thread/cache/prepare-image.js", "thread/cache/instrument-cached.js", "thread/snapshot/persist-snapshot.js", "thread/session-worker.js", "thread/drivers/wasi-command.js"];
const ENTRIES = [...THREAD_ENTRIES, "driver.js"];
/** The `./driver` entry's own files (tsup.config.ts's DRIVER_FILES): classes and state a driver shares with the thread. */
const isDriverFile = (source: string): boolean => /^(vfs|wasi|emscripten)\//.test(source) || ["driver.ts", "define-driver.ts", "require-image.ts", "types.ts"].includes(source);

/** Bare specifiers statically imported by `entry` and the chunks it imports. */
const bareImports = (entry: string): Set<string> => builtGraph(resolve(dist, entry)).bare;

/** The files `entry` loads statically, their bare specifiers and the source files bundled into them. */
const staticGraph = (entry: string) => builtGraph(resolve(dist, entry));

describe("worker-side entries", () => {
  it.each(ENTRIES)("%s never loads core's main entry or zod", (entry) => {
    const imports = [...bareImports(entry)];
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((s) => s === "@llm-wasm-sandbox/core" || s === "zod" || s.startsWith("zod/"))).toEqual([]);
  });

  it("prestart.js (the CLI's first import) never loads core's main entry or zod", () => {
    const imports = [...bareImports("prestart.js")];
    // It is the pool: the thread pool is bundled into it (the check below can fail).
    expect([...staticGraph("prestart.js").sources]).toContain("pool/thread-pool.ts");
    expect(imports.filter((s) => s === "@llm-wasm-sandbox/core" || s === "zod" || s.startsWith("zod/"))).toEqual([]);
    // Nor what only saving a hint needs (it runs after the run): ~5 ms before the thread could start.
    expect(imports.filter((s) => /^(node:)?(crypto|fs\/promises)$/.test(s))).toEqual([]);
  });

  it("a pre-started thread's entry starts the speculation before it loads worker.js (a dynamic import)", () => {
    const { files } = staticGraph("thread/start-hint/worker-entry.js");
    expect([...files].some((f) => f.endsWith("/dist/thread/worker.js"))).toBe(false);
    expect(readFileSync(resolve(dist, "thread/start-hint/worker-entry.js"), "utf8")).toMatch(/startSpeculation\([^)]*\);[\s\S]*await import\("\.\.\/worker\.js"\)/);
  });

  it("the image preparer loads the meter only for a module it has to instrument (a cache hit never does)", () => {
    const { sources } = staticGraph("thread/cache/prepare-image.js");
    expect([...sources]).toEqual(expect.arrayContaining(["cache/prepare-image.ts", "cache/module-cache.ts", "cache/cache-key.ts"]));
    expect([...sources].filter((s) => s === "cache/instrument-cached.ts" || s === "meter/instrument-module.ts")).toEqual([]);
    // …and the instrumenter it loads on a miss bundles the meter (the check above can fail).
    expect([...staticGraph("thread/cache/instrument-cached.js").sources]).toContain("meter/instrument-module.ts");
  });

  it.each(THREAD_ENTRIES)("%s shares the driver's VFS, WASI and emscripten layers (one instance per thread): it imports them through ./driver", (entry) => {
    const { sources, bare } = staticGraph(entry);
    expect([...sources].filter(isDriverFile)).toEqual([]);
    // …and the driver entry is where they are (the check above can fail: they were bundled into the thread files before).
    expect([...staticGraph("driver.js").sources].filter(isDriverFile).length).toBeGreaterThan(20);
    if (entry === "thread/worker.js" || entry === "thread/session-worker.js") expect([...bare]).toContain("@llm-wasm-sandbox/wasi-host/driver");
  });

  it.each(["prestart.js", ...ENTRIES])("%s never loads piscina (the pool is our own: pool/thread-pool.ts)", (entry) => {
    expect([...bareImports(entry)].filter((s) => s === "piscina" || s.startsWith("piscina/"))).toEqual([]);
  });
});
