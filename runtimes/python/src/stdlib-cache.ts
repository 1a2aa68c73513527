/**
 * The standard library as a directory. python.wasm carries its stdlib as a zip of `.pyc`
 * files that CPython reads through `zipimport` — pure Python code that costs ~40% of every
 * import's fuel. The engine copies the zip out once (with the sandbox's own interpreter),
 * unpacks it into the disk cache, and mounts it read-only at /data/python-stdlib, ahead
 * of the zip on `sys.path`; imports then use CPython's built-in path finder.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { SandboxLogger } from "@llm-wasm-sandbox/core";
import { run, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import { unzipSync } from "fflate";
import { resolveCacheDir } from "./cache-dir.js";
import { PYTHON_FLAGS } from "./constants.js";

/** Guest path of the unpacked standard library (first after /app on `sys.path`). */
export const STDLIB_GUEST_PATH = "/data/python-stdlib";

/** Bumped when the layout changes, so old cache entries are not reused. */
const LAYOUT_VERSION = "1";
const STDLIB_ZIP = "/usr/local/lib/python312.zip";

/**
 * The host directory holding the unpacked stdlib, unpacking it on first use; null when
 * that fails (imports then go through the zip, slower but the same) — never throws.
 */
export async function stdlibDir(image: MeteredImage, cacheDir: string | undefined, logger: SandboxLogger): Promise<string | null> {
  const root = join(resolveCacheDir(cacheDir), `python-stdlib-${image.hash.slice(0, 16)}-v${LAYOUT_VERSION}`);
  const lib = join(root, "lib");
  if (existsSync(join(root, "complete"))) return lib;
  const tmp = `${root}.${process.pid}.${Date.now()}.tmp`;
  try {
    const zip = await copyZipOut(image);
    const files = unzipSync(zip, { filter: (f) => !f.name.endsWith("/") });
    const base = resolve(tmp, "lib");
    for (const [name, data] of Object.entries(files)) {
      const target = resolve(base, name);
      if (!target.startsWith(base + sep)) throw new Error(`unsafe path in the stdlib zip: ${name}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
    }
    await writeFile(join(tmp, "complete"), `${Object.keys(files).length}\n`);
    await mkdir(dirname(root), { recursive: true });
    await rename(tmp, root).catch(async (error: unknown) => {
      // Another process finished first: use its copy.
      if (!existsSync(join(root, "complete"))) throw error;
      await rm(tmp, { recursive: true, force: true });
    });
    return lib;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "python: unpacking the standard library failed; imports will use the embedded zip");
    return null;
  }
}

/** Reads the stdlib zip out of the binary's embedded filesystem through a guest run. */
async function copyZipOut(image: MeteredImage): Promise<Uint8Array> {
  const raw = await run({
    image,
    argv: ["python", ...PYTHON_FLAGS, "-c", `with open("${STDLIB_ZIP}", "rb") as i, open("/app/stdlib.zip", "wb") as o:\n    o.write(i.read())`],
    env: { PYTHONHASHSEED: "0" },
    workspace: { entries: [], read: () => Promise.reject(new Error("empty workspace")) },
    mounts: [],
    limits: { fuelBudget: 50_000_000_000, memoryBytes: 256 * 1024 * 1024, stdoutMaxBytes: 65536, stderrMaxBytes: 65536, timeoutMs: 120_000, deterministic: true, randomSeed: 0 },
  });
  const entry = raw.journal.entries.find((e) => e.op === "write" && e.path === "stdlib.zip");
  if (raw.exitCode !== 0 || !entry || entry.op !== "write") throw new Error(`copying ${STDLIB_ZIP} out failed: exit ${raw.exitCode} ${raw.trapReason ?? ""} ${raw.stderr.slice(-300)}`);
  return entry.data;
}
