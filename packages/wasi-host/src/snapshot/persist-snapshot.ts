/**
 * The worker side of persistent snapshots (a preparer, see cache/preparer-task.ts):
 * names a snapshot's file by a content-hashed key, loads and verifies it, or writes it
 * atomically — in a pool thread, so the host's event loop never reads, hashes or writes
 * the tens of MiB an initialized interpreter takes.
 *
 * The key hashes everything the image depends on: the module's content hash and the
 * meter version (so the fresh instance the pages are diffed against is the same), the
 * runtime package and version, the driver file's own bytes (the code that initializes the
 * interpreter), the plugin's snapshot key (e.g. its mount layout) and snapshot driver data
 * (e.g. its bootstrap source), and this file format. Changing any of them names another
 * file; the old one is simply never read again.
 *
 * A load reads synchronously (the driver file for the key, then the snapshot file): it
 * runs in a pool thread that is busy at the same time preparing the image (hashing and
 * compiling it, importing the driver), and each awaited read waited for that thread's
 * event loop — a new process's first run waited ~45 ms for the driver file's few KB to
 * come back. It marks the file as used without waiting; the preparer settles the marks
 * before it reports back (`marksSettled`, as the image's preparer does).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { atomicWrite } from "../cache/atomic-write.js";
import { markCacheEntryUsed, marksSettled } from "../cache/cache-usage.js";
import { verifiedStampPath } from "../cache/verified-stamp.js";
import type { PreparerResult } from "../cache/preparer-task.js";
import type { MemoryImage } from "./memory-image.js";
import { encodeSnapshotFile, readSnapshotFile } from "./snapshot-file.js";

/** Sub-directory of the cache directory that holds snapshot files. */
export const SNAPSHOT_DIR = "snapshots";

/** What the key of a snapshot is made of, besides the driver file's bytes. */
export interface SnapshotKeyParts {
  /** Content hash of the original module. */
  readonly imageHash: string;
  readonly meterVersion: number;
  /** `<package>@<version>` of the runtime that prepared the snapshot spec. */
  readonly runtime: string;
  /** The plugin's `SnapshotSpec.key`. */
  readonly specKey: string;
  /** The plugin's `SnapshotSpec.driverData`. */
  readonly driverData: unknown;
}

/** Input of the preparer. */
export type PersistSnapshotInput =
  | { readonly op: "load"; readonly dir: string; readonly name: string; readonly driver: string; readonly parts: SnapshotKeyParts }
  | { readonly op: "save"; readonly dir: string; readonly name: string; readonly key: string; readonly image: MemoryImage };

/** What comes back: a verified image, or the key to save one under. */
export type PersistSnapshotResult =
  | { readonly kind: "hit"; readonly key: string; readonly image: MemoryImage }
  | { readonly kind: "miss"; readonly key: string; readonly reason: "absent" | "corrupt" }
  | { readonly kind: "saved"; readonly path: string }
  | { readonly kind: "error"; readonly message: string };

/** Runs one load or save (see module doc); errors come back as data. */
export default async function persistSnapshot(input: PersistSnapshotInput): Promise<PreparerResult<PersistSnapshotResult>> {
  const result = await persistNow(input);
  await marksSettled();
  return result;
}

/**
 * `persistSnapshot` without waiting for the file's use mark to be written (the image's
 * preparer, which loads the snapshot with the image, settles the marks itself).
 */
export async function persistNow(input: PersistSnapshotInput): Promise<PreparerResult<PersistSnapshotResult>> {
  try {
    if (input.op === "save") return { value: { kind: "saved", path: await saveSnapshot(input.dir, input.name, input.key, input.image) } };
    const key = snapshotKey(input.parts, input.driver);
    const path = snapshotPath(input.dir, input.name, key);
    const found = readSnapshotFile(path, key);
    if (typeof found === "object") {
      void markCacheEntryUsed(path);
      return { value: { kind: "hit", key, image: found } };
    }
    // A damaged file is removed here so it is rebuilt, never restored.
    if (found === "corrupt") {
      await rm(verifiedStampPath(path), { force: true });
      await rm(path, { force: true });
    }
    return { value: { kind: "miss", key, reason: found } };
  } catch (error) {
    return { value: { kind: "error", message: error instanceof Error ? error.message : String(error) } };
  }
}

/** The content-hashed key of a snapshot (see module doc). Reads the driver file synchronously: pool threads only. */
export function snapshotKey(parts: SnapshotKeyParts, driverUrl: string): string {
  const driver = createHash("sha256")
    .update(readFileSync(fileURLToPath(driverUrl)))
    .digest("hex");
  // Fields in a fixed order: the key must not depend on how the caller built `parts`.
  const { imageHash, meterVersion, runtime, specKey } = parts;
  const canonical = JSON.stringify({ format: 1, imageHash, meterVersion, runtime, specKey, driverData: parts.driverData ?? null, driver });
  return createHash("sha256").update(canonical).digest("hex");
}

/** Where the snapshot of `name` under `key` lives. */
export function snapshotPath(dir: string, name: string, key: string): string {
  const base = name.replace(/\.wasm$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || "module";
  return join(dir, SNAPSHOT_DIR, `${base.slice(0, 64)}-${key}.snap`);
}

/** Writes the file to a temp name and renames it: readers see all of it or nothing. */
async function saveSnapshot(dir: string, name: string, key: string, image: MemoryImage): Promise<string> {
  const path = snapshotPath(dir, name, key);
  await mkdir(join(dir, SNAPSHOT_DIR), { recursive: true });
  await atomicWrite(path, encodeSnapshotFile(key, image));
  return path;
}
