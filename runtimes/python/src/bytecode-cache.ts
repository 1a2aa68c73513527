/**
 * Precompiled bytecode for `sandbox_utils` and the bootstrap. The helper library is
 * mounted read-only, so CPython would compile its sources on every import (about 150M
 * fuel, most of a cheap program's budget). Instead the engine compiles them once with the
 * sandbox's own interpreter into unchecked hash-based `.pyc` files (PEP 552: valid without
 * comparing source timestamps), caches those on disk, and mounts them in `__pycache__`.
 *
 * The bootstrap, passed as `python -c` source, would likewise be compiled on every run
 * (~20M of the ~142M fuel of an empty program). It is compiled here too, under the file
 * name `-c` gives it (`<string>`), marshalled, and mounted as BOOTSTRAP_BYTECODE_FILE; the
 * engine then passes a one-line loader that executes that code object in `__main__`.
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
const COMPILER_VERSION = "2";
/**
 * The marshalled bootstrap code object, relative to the sandbox-lib mount (not a module
 * name, so it can never be imported by accident).
 */
export const BOOTSTRAP_BYTECODE_FILE = "_llm_sandbox_bootstrap.bin";
/** The bootstrap's source as mounted for the one-time compile run. */
const BOOTSTRAP_SOURCE_FILE = "_llm_sandbox_bootstrap.py";

/** CPython 3.12's `sys.implementation.cache_tag`. */
const CACHE_TAG = "cpython-312";

const COMPILE_PROGRAM = `
import os, py_compile
src = "${SANDBOX_LIB_GUEST_PATH}/sandbox_utils"
for name in sorted(os.listdir(src)):
    if name.endswith(".py"):
        py_compile.compile(src + "/" + name, cfile="/app/" + name[:-3] + ".pyc", doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
import marshal
with open("${SANDBOX_LIB_GUEST_PATH}/${BOOTSTRAP_SOURCE_FILE}", encoding="utf-8") as f:
    boot = compile(f.read(), "<string>", "exec")
with open("/app/${BOOTSTRAP_BYTECODE_FILE}", "wb") as f:
    marshal.dump(boot, f)
`;

/**
 * The `python -c` program that runs the precompiled bootstrap: the same code object as
 * `-c <bootstrap>` would produce, executed in `__main__`'s globals, binding no names. The
 * file is closed explicitly: an unclosed one would raise a (silenced) ResourceWarning
 * whose bookkeeping leaves `__warningregistry__` in the program's globals.
 */
export const BOOTSTRAP_LOADER = `exec((lambda f: [__import__("marshal").loads(f.read()), f.close()][0])(open("${SANDBOX_LIB_GUEST_PATH}/${BOOTSTRAP_BYTECODE_FILE}", "rb")))`;

/**
 * The `.pyc` files for the library's sources, keyed by path relative to the mount
 * (`sandbox_utils/__pycache__/files.cpython-312.pyc`), plus BOOTSTRAP_BYTECODE_FILE; from
 * the disk cache when present. Returns `{}` (imports then compile from source, and the
 * bootstrap runs as source) when compiling fails — never throws.
 */
export async function sandboxLibBytecode(
  image: MeteredImage,
  lib: Readonly<Record<string, Uint8Array>>,
  bootstrap: string,
  cacheDir: string | undefined,
  logger: SandboxLogger,
): Promise<Record<string, Uint8Array>> {
  const sources: Record<string, Uint8Array> = { ...lib, [BOOTSTRAP_SOURCE_FILE]: new TextEncoder().encode(bootstrap) };
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
    } else if (e.op === "write" && e.path === BOOTSTRAP_BYTECODE_FILE) {
      out[BOOTSTRAP_BYTECODE_FILE] = e.data;
    }
  }
  // Every sandbox_utils module, plus the bootstrap (also a .py source in the mount).
  const expected = Object.keys(sources).filter((k) => k.endsWith(".py")).length;
  if (Object.keys(out).length !== expected) throw new Error(`compiled ${Object.keys(out).length} of ${expected} modules`);
  return out;
}
