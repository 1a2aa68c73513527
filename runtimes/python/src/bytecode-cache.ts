/**
 * Precompiled bytecode for `sandbox_utils`. The helper library is mounted read-only, so
 * CPython would compile its sources on every import (about 150M fuel, most of a cheap
 * program's budget). Instead the engine compiles them once with the sandbox's own
 * interpreter into unchecked hash-based `.pyc` files (PEP 552: valid without comparing
 * source timestamps), caches those on disk, and mounts them in `__pycache__`.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ReadonlyMount, SandboxLogger } from "@llm-wasm-sandbox/core";
import { run, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import { resolveCacheDir } from "./cache-dir.js";
import { PYTHON_FLAGS } from "./constants.js";
import { SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";

/** Bumped when the compile step changes, so old cache entries are not reused. */
const COMPILER_VERSION = "1";
/** CPython 3.12's `sys.implementation.cache_tag`. */
const CACHE_TAG = "cpython-312";

const COMPILE_PROGRAM = `
import os, py_compile
src = "${SANDBOX_LIB_GUEST_PATH}/sandbox_utils"
for name in sorted(os.listdir(src)):
    if name.endswith(".py"):
        py_compile.compile(src + "/" + name, cfile="/app/" + name[:-3] + ".pyc", doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
`;

/**
 * The `.pyc` files for the library's sources, keyed by path relative to the mount
 * (`sandbox_utils/__pycache__/files.cpython-312.pyc`); from the disk cache when present.
 * Returns `{}` (imports then compile from source) when compiling fails — never throws.
 */
export async function sandboxLibBytecode(
  image: MeteredImage,
  sources: Readonly<Record<string, Uint8Array>>,
  cacheDir: string | undefined,
  logger: SandboxLogger,
): Promise<Record<string, Uint8Array>> {
  const hash = createHash("sha256").update(`${COMPILER_VERSION}\0${image.hash}\0`);
  for (const name of Object.keys(sources).sort()) hash.update(name).update("\0").update(sources[name] ?? new Uint8Array()).update("\0");
  const dir = resolveCacheDir(cacheDir);
  const file = join(dir, `python-sandbox-lib-${hash.digest("hex").slice(0, 32)}.json`);
  const cached = await readFile(file, "utf8").catch(() => null);
  if (cached !== null) {
    try {
      const parsed = JSON.parse(cached) as Record<string, string>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, "base64"))]));
    } catch {
      // a damaged cache entry is rebuilt below
    }
  }
  let files: Record<string, Uint8Array>;
  try {
    files = await compileWithSandbox(image, sources);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "python: precompiling sandbox_utils failed; it will be compiled on each import");
    return {};
  }
  try {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString("base64")]))));
    await rename(tmp, file); // atomic: concurrent processes never read a half-written entry
  } catch (error) {
    // An unwritable cache only costs the next process a recompile.
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, `python: cannot cache sandbox_utils bytecode in ${dir}`);
  }
  return files;
}

async function compileWithSandbox(image: MeteredImage, sources: Readonly<Record<string, Uint8Array>>): Promise<Record<string, Uint8Array>> {
  const mount: ReadonlyMount = { guestPath: SANDBOX_LIB_GUEST_PATH, files: sources };
  const raw = await run({
    image,
    argv: ["python", ...PYTHON_FLAGS, "-c", COMPILE_PROGRAM],
    env: { PYTHONHASHSEED: "0" },
    workspace: { entries: [], read: () => Promise.reject(new Error("empty workspace")) },
    mounts: [mount],
    limits: { fuelBudget: 50_000_000_000, memoryBytes: 256 * 1024 * 1024, stdoutMaxBytes: 65536, stderrMaxBytes: 65536, timeoutMs: 120_000, deterministic: true, randomSeed: 0 },
  });
  if (raw.exitCode !== 0 || raw.trapReason !== null) throw new Error(`exit ${raw.exitCode} ${raw.trapReason ?? ""}: ${raw.stderr.slice(-500)}`);
  const out: Record<string, Uint8Array> = {};
  for (const e of raw.journal.entries) {
    if (e.op === "write" && e.path.endsWith(".pyc") && !e.path.includes("/")) {
      out[`sandbox_utils/__pycache__/${e.path.slice(0, -4)}.${CACHE_TAG}.pyc`] = e.data;
    }
  }
  const expected = Object.keys(sources).filter((k) => k.endsWith(".py")).length;
  if (Object.keys(out).length !== expected) throw new Error(`compiled ${Object.keys(out).length} of ${expected} modules`);
  return out;
}
