/**
 * The initialized-interpreter snapshot: built once, then kept in memory for the process
 * and on disk in the host's cache directory, so a new process restores it instead of
 * starting CPython (~1 s of CPU).
 *
 * The disk entry is named by a hash of everything that shapes the snapshot (the image,
 * the meter and this format's versions, the init configuration, the warm-up, the stack
 * window, the sandbox's own Python files, the standard library's cache name) and carries
 * a SHA-256 of its own contents: a truncated or corrupted file is deleted and rebuilt,
 * never restored. Writes go to a temporary file renamed into place, so a reader never
 * sees a half-written entry and concurrent processes agree.
 *
 * The snapshot run is the sandbox's own work: deterministic (fixed clock and seed, so
 * every process builds the same interpreter and a program costs the same fuel in every
 * process) and never billed to a guest. It sees no session data.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SandboxExecutionError, type ReadonlyMount } from "@llm-wasm-sandbox/core";
import { defaultPool, markCacheEntryUsed, METER_VERSION, type MeteredImage, type MemoryImage, type RunLimits } from "@llm-wasm-sandbox/wasi-host";
import type { InitConfig } from "../driver/cpython.js";
import type { SnapshotDriverData } from "../driver/driver-data.js";
import { decodeImage, encodeImage } from "./image-codec.js";

/** Bumped whenever the driver's snapshot procedure or the file format changes. */
export const SNAPSHOT_FORMAT = 2;

const SNAPSHOT_LIMITS: RunLimits = {
  fuelBudget: Number.MAX_SAFE_INTEGER,
  memoryBytes: 1024 * 1024 * 1024,
  stdoutMaxBytes: 65536,
  stderrMaxBytes: 65536,
  timeoutMs: 300_000,
  deterministic: true,
  randomSeed: 0x5eed,
};

/** Everything that shapes a snapshot. */
export interface SnapshotSpec {
  readonly image: MeteredImage;
  /** File URL of the built driver. */
  readonly driver: string;
  readonly init: InitConfig;
  readonly warmup: string;
  readonly stackBytes: number;
  /** The read-only mounts the warm-up imports from (the standard library, the sandbox's own files). */
  readonly mounts: readonly ReadonlyMount[];
  /** Identifies the host-directory mounts' contents for the cache key (they are not hashed). */
  readonly contentKey: string;
  readonly cacheDir: string;
}

const inMemory = new Map<string, Promise<MemoryImage>>();

/** The snapshot for `spec`: from memory, else from disk, else built (and stored). */
export function getSnapshot(spec: SnapshotSpec): Promise<MemoryImage> {
  const key = snapshotKey(spec);
  let pending = inMemory.get(key);
  if (!pending) {
    pending = loadOrBuild(spec, join(spec.cacheDir, `python-snapshot-${key}.bin`));
    inMemory.set(key, pending);
    pending.catch(() => inMemory.delete(key)); // retry on the next run, never cache a failure
  }
  return pending;
}

/** The content hash naming a snapshot. */
export function snapshotKey(spec: SnapshotSpec): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ format: SNAPSHOT_FORMAT, meter: METER_VERSION, image: spec.image.hash, init: spec.init, stack: spec.stackBytes, content: spec.contentKey }));
  h.update("\0").update(spec.warmup);
  for (const m of spec.mounts) {
    h.update(`\0${m.guestPath}`);
    for (const [name, bytes] of Object.entries(m.files ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0${name}\0`).update(bytes);
  }
  return h.digest("hex").slice(0, 32);
}

async function loadOrBuild(spec: SnapshotSpec, file: string): Promise<MemoryImage> {
  const cached = await readFile(file).catch(() => null);
  if (cached !== null) {
    const image = decodeImage(new Uint8Array(cached.buffer, cached.byteOffset, cached.byteLength));
    if (image !== null) {
      await markCacheEntryUsed(file);
      return image;
    }
    await rm(file, { force: true }).catch(() => {}); // damaged: rebuilt below
  }
  const image = await build(spec);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(spec.cacheDir, { recursive: true });
    await writeFile(tmp, encodeImage(image));
    await rename(tmp, file);
  } catch {
    // An unwritable cache only costs the next process a rebuild.
    await rm(tmp, { force: true }).catch(() => {});
  }
  return image;
}

async function build(spec: SnapshotSpec): Promise<MemoryImage> {
  const data: SnapshotDriverData = { mode: "snapshot", init: spec.init, warmup: spec.warmup, stackBytes: spec.stackBytes };
  const { raw, snapshot } = await defaultPool().snapshotRun({
    image: spec.image,
    driver: spec.driver,
    driverData: data,
    argv: ["python"],
    env: {},
    workspace: { entries: [], read: (path) => Promise.reject(new Error(`no file ${path} in the snapshot workspace`)) },
    mounts: spec.mounts,
    limits: SNAPSHOT_LIMITS,
  });
  if (raw.exitCode !== 0 || raw.trapReason !== null || snapshot === null) {
    throw new SandboxExecutionError(
      `[python] initializing the Python interpreter failed (exit ${raw.exitCode}, ${raw.trapReason ?? "no trap"}: ${raw.trapMessage ?? ""} ${raw.stderr.slice(0, 2000)}) — check that the pyodide package is installed intact`,
    );
  }
  return snapshot;
}
