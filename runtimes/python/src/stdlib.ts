/**
 * The standard library as a directory on disk, with bytecode. Pyodide ships it as
 * `python_stdlib.zip` of `.py` sources; importing through `zipimport` runs Python code on
 * every import and then compiles the source (`import email.message` alone costs ~600M
 * fuel that way). The engine instead, once per machine:
 *
 * 1. unpacks the zip into the disk cache;
 * 2. compiles every module with the sandbox's own interpreter (several runs in parallel)
 *    into unchecked hash-based `.pyc` files (PEP 552: valid without comparing source
 *    timestamps) in `__pycache__`, next to the sources;
 * 3. gives every entry one fixed mtime (`pin-tree-times.ts`);
 * 4. renames the finished directory into place, so a half-built one is never used and
 *    concurrent processes agree.
 *
 * The directory is mounted read-only at STDLIB_GUEST_PATH, where CPython's path finder
 * loads the bytecode (and tracebacks show the sources). A module that does not compile
 * (none in this build) is simply left without bytecode.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core/errors";
import { run, type MeteredImage } from "@llm-wasm-sandbox/wasi-host/host";
import type { InitConfig } from "./driver/cpython.js";
import type { ScriptDriverData } from "./driver/driver-data.js";
import { runCacheTask } from "./cache-task-client.js";
import { PYODIDE_VERSION } from "./image/pyodide-image.js";
import { pinTreeTimes } from "./pin-tree-times.js";

/** Guest path of the standard library (CPython's own default for this layout). */
export const STDLIB_GUEST_PATH = "/lib/python3.14";

/** `sys.implementation.cache_tag` of this CPython. */
export const CACHE_TAG = "cpython-314";

/** Bumped when the layout or the compile step changes, so old cache entries are not reused. */
const LAYOUT_VERSION = "4";
/** Compile runs started in parallel (the worker pool spreads them over the cores). */
const COMPILE_RUNS = 4;

/** Name of the cache entry for this pyodide version (also part of the snapshot's key). */
export const STDLIB_CACHE_NAME = `python-stdlib-pyodide-${PYODIDE_VERSION}-v${LAYOUT_VERSION}`;

/** What compiling needs: the image and driver to run CPython with, and its configuration. */
export interface StdlibCompiler {
  readonly image: MeteredImage;
  readonly driver: string;
  readonly init: InitConfig;
}

const pending = new Map<string, Promise<string>>();

/**
 * The host directory holding the standard library with bytecode, building it on first use
 * (only then is `compiler` called: loading the interpreter is the expensive part).
 */
export function stdlibDir(cacheDir: string, compiler: () => Promise<StdlibCompiler>): Promise<string> {
  const root = join(cacheDir, STDLIB_CACHE_NAME);
  let p = pending.get(root);
  if (!p) {
    p = existsSync(join(root, "complete")) ? Promise.resolve(join(root, "lib")) : build(root, compiler);
    pending.set(root, p);
    p.catch(() => pending.delete(root));
  }
  return p;
}

async function build(root: string, load: () => Promise<StdlibCompiler>): Promise<string> {
  const tmp = `${root}.${process.pid}.${Date.now()}.tmp`;
  try {
    const lib = resolve(tmp, "lib");
    // Unzipping ~10 MB is CPU work: done in a pool thread, never on the host's event loop.
    const [sources, compiler] = await Promise.all([runCacheTask({ kind: "unpack-stdlib", lib }) as Promise<string[]>, load()]);
    const chunks = Array.from({ length: COMPILE_RUNS }, (_, i) => sources.filter((_, k) => k % COMPILE_RUNS === i));
    const compiled = await Promise.all(chunks.map((chunk) => compileChunk(compiler, lib, chunk)));
    for (const pycs of compiled) {
      for (const [source, data] of pycs) {
        const target = resolve(lib, dirname(source), "__pycache__", `${source.slice(source.lastIndexOf("/") + 1, -3)}.${CACHE_TAG}.pyc`);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, data);
      }
    }
    await pinTreeTimes(lib);
    await writeFile(join(tmp, "complete"), `${sources.length}\n`);
    await mkdir(dirname(root), { recursive: true });
    await rename(tmp, root).catch(async (error: unknown) => {
      if (!existsSync(join(root, "complete"))) throw error;
      await rm(tmp, { recursive: true, force: true }); // another process finished first: use its copy
    });
    return join(root, "lib");
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}

/** Compiles `sources` in one sandbox run; returns (source, pyc bytes) pairs. */
async function compileChunk(compiler: StdlibCompiler, lib: string, sources: readonly string[]): Promise<[string, Uint8Array][]> {
  const script = [
    "import py_compile",
    `for rel in ${JSON.stringify(sources)}:`,
    "    try:",
    `        py_compile.compile(${JSON.stringify(STDLIB_GUEST_PATH)} + "/" + rel, cfile="/app/" + rel + "c", doraise=True,`,
    "                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)",
    "    except py_compile.PyCompileError:",
    "        pass",
  ].join("\n");
  const data: ScriptDriverData = { mode: "script", init: compiler.init, script };
  const raw = await run({
    image: compiler.image,
    driver: compiler.driver,
    driverData: data,
    argv: ["python"],
    env: {},
    workspace: { entries: [], read: (path) => Promise.reject(new Error(`no file ${path} in the compile workspace`)) },
    mounts: [{ guestPath: STDLIB_GUEST_PATH, hostPath: lib }],
    limits: { fuelBudget: Number.MAX_SAFE_INTEGER, memoryBytes: 1024 * 1024 * 1024, stdoutMaxBytes: 65536, stderrMaxBytes: 65536, timeoutMs: 600_000, deterministic: true, randomSeed: 0 },
  });
  if (raw.exitCode !== 0 || raw.trapReason !== null) {
    throw new SandboxExecutionError(`[python] compiling the standard library failed (exit ${raw.exitCode}, ${raw.trapReason ?? "no trap"}: ${raw.stderr.slice(0, 2000)})`);
  }
  const wanted = new Set(sources.map((s) => `${s}c`));
  return raw.journal.entries.flatMap((e) => (e.op === "write" && wanted.has(e.path) ? [[e.path.slice(0, -1), e.data] as [string, Uint8Array]] : []));
}
