/**
 * A runtime's first execution in a process needs its image compiled, its snapshot file
 * read and verified, and its driver imported — in that order, each waiting for the one
 * before, although only the snapshot's key waits for anything (the image's content
 * hash). The image's preparer (`cache/prepare-image.ts`) therefore does the other two in
 * the same pool thread as soon as it knows the hash, while V8 compiles the module on its
 * background threads: the snapshot comes back with the image, and the thread that will
 * most likely run the execution has the driver loaded already.
 */
import { importBuiltModule } from "../import-built-module.js";
import { persistNow, type PersistSnapshotResult, type SnapshotKeyParts } from "./persist-snapshot.js";

/** What loading a snapshot file needs besides the image's hash (see `SnapshotStore.preloadRequest`). */
export interface SnapshotPreload {
  /** The cache directory. */
  readonly dir: string;
  /** File URL of the driver that takes and restores the snapshot. */
  readonly driver: string;
  readonly parts: Omit<SnapshotKeyParts, "imageHash">;
}

/** The outcome of a preload, for the image with `imageHash`. */
export interface PreloadedSnapshot {
  readonly imageHash: string;
  readonly found: PersistSnapshotResult;
}

/**
 * Loads the snapshot of image `name` with `imageHash` and imports its driver; never rejects.
 * Called the moment the hash is known, before the image's own bytes are read: the driver's
 * import starts at once, the snapshot file (read synchronously, see `persist-snapshot.ts`)
 * only once the thread is waiting for V8 to compile the image, so that compile starts first.
 */
export async function preloadSnapshot(preload: SnapshotPreload, name: string, imageHash: string): Promise<PreloadedSnapshot> {
  // A driver that does not load is the run's to report.
  const driver = importBuiltModule(preload.driver).catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  const loaded = await persistNow({ op: "load", dir: preload.dir, name, driver: preload.driver, parts: { ...preload.parts, imageHash } });
  await driver;
  return { imageHash, found: loaded.value };
}
