/**
 * Initialized-interpreter snapshots, one per image, driver and snapshot key, taken once
 * per store (a SandboxHost owns one) by running the plugin's driver in a snapshot run —
 * or, when the cache directory holds a verified file of the very same snapshot, loaded
 * from it, so a new process restores the interpreter instead of initializing it again
 * (see `snapshot/persist-snapshot.ts` for the key, `snapshot/snapshot-file.ts` for the
 * checksummed format). Loading, hashing and writing happen in a pool thread. A damaged
 * file is deleted and the snapshot rebuilt; a file that cannot be written only costs
 * the next process the snapshot run.
 *
 * A snapshot is shared by every session, so the snapshot run sees no session data: an
 * empty /app, empty trees at the spec's mount paths (or the runtime's own read-only
 * mounts, `spec.mounts`), no environment. Its limits are the
 * sandbox's own (never billed to a guest) and deterministic with a fixed seed, so every
 * process boots the very same interpreter and a program's fuel does not depend on which
 * process ran it.
 */
import type { SnapshotSpec } from "@llm-wasm-sandbox/core";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core/errors";
import { METER_VERSION } from "../meter/meter-version.js";
import type { WorkerPool } from "../pool/worker-pool.js";
import { PACKAGE_NAME, resolveBuiltFile, THREAD_DIR } from "../resolve-built-file.js";
import type { MemoryImage } from "../snapshot/memory-image.js";
import type { PersistSnapshotInput, PersistSnapshotResult } from "../snapshot/persist-snapshot.js";
import type { SnapshotPreload } from "../snapshot/preload-snapshot.js";
import type { MeteredImage, RunLimits } from "../types.js";

const SNAPSHOT_LIMITS: RunLimits = {
  fuelBudget: Number.MAX_SAFE_INTEGER,
  memoryBytes: 1024 * 1024 * 1024,
  stdoutMaxBytes: 65_536,
  stderrMaxBytes: 65_536,
  timeoutMs: 120_000,
  deterministic: true,
  randomSeed: 0x5eed,
};

/** Where a snapshot came from (for tests and benchmarks). */
export type SnapshotOrigin = "disk" | "snapshot-run";

/** The runtime a snapshot is taken for. */
export interface SnapshotOwner {
  /** `<package>@<version>`: part of the persisted snapshot's key. */
  readonly runtime: string;
  /** argv[0] of the snapshot run. */
  readonly argv0: string;
}

let persistUrl: string | null = null;

/** Memoized snapshots; a failed snapshot run is forgotten so the next run retries it. */
export class SnapshotStore {
  readonly #pool: () => WorkerPool;
  readonly #cacheDir: string | null;
  readonly #images = new Map<string, Promise<MemoryImage>>();
  readonly #origins: SnapshotOrigin[] = [];
  readonly #saves = new Set<Promise<unknown>>();
  /** Loads done along with an image's preparation (`offer`), used by the next `get` of their key. */
  readonly #offered = new Map<string, PersistSnapshotResult>();

  /** `cacheDir` null keeps snapshots in memory only. */
  constructor(pool: () => WorkerPool, cacheDir: string | null = null) {
    this.#pool = pool;
    this.#cacheDir = cacheDir;
  }

  /** Where each snapshot this store produced came from, in order. */
  get origins(): readonly SnapshotOrigin[] {
    return this.#origins;
  }

  /**
   * What an image's preparer needs to load this snapshot's file while the image compiles
   * (`loadModuleWithSnapshot`), or null when this store keeps snapshots in memory only.
   */
  preloadRequest(driver: string, owner: SnapshotOwner, spec: SnapshotSpec): SnapshotPreload | null {
    if (this.#cacheDir === null) return null;
    return { dir: this.#cacheDir, driver, parts: { meterVersion: METER_VERSION, runtime: owner.runtime, specKey: spec.key, driverData: spec.driverData ?? null } };
  }

  /** Hands over what loading the snapshot of `image` (see `preloadRequest`) found: the next `get` uses it instead of loading the file. */
  offer(image: MeteredImage, driver: string, spec: SnapshotSpec, found: PersistSnapshotResult): void {
    const key = memoKey(image, driver, spec);
    if (!this.#images.has(key)) this.#offered.set(key, found);
  }

  /** The snapshot for runs of `image` through `driver` that name `spec.key`. */
  get(image: MeteredImage, driver: string, owner: SnapshotOwner, spec: SnapshotSpec): Promise<MemoryImage> {
    const key = memoKey(image, driver, spec);
    let pending = this.#images.get(key);
    if (!pending) {
      const offered = this.#offered.get(key) ?? null;
      this.#offered.delete(key);
      pending = this.#find(image, driver, owner, spec, offered);
      this.#images.set(key, pending);
      pending.catch(() => this.#images.delete(key));
    }
    return pending;
  }

  /** Waits for snapshot files being written (each write is best effort). */
  async flush(): Promise<void> {
    await Promise.all([...this.#saves]);
  }

  /** Forgets every snapshot (their memory is freed once no run holds them). */
  clear(): void {
    this.#images.clear();
    this.#offered.clear();
  }

  async #find(image: MeteredImage, driver: string, owner: SnapshotOwner, spec: SnapshotSpec, offered: PersistSnapshotResult | null): Promise<MemoryImage> {
    const dir = this.#cacheDir;
    if (dir === null) return this.#taken(await this.#take(image, driver, owner.argv0, spec));
    const found =
      offered ??
      (await this.#persist({
        op: "load",
        dir,
        name: image.name,
        driver,
        parts: { imageHash: image.hash, meterVersion: METER_VERSION, runtime: owner.runtime, specKey: spec.key, driverData: spec.driverData ?? null },
      }));
    if (found.kind === "hit") {
      this.#origins.push("disk");
      return found.image;
    }
    const snapshot = this.#taken(await this.#take(image, driver, owner.argv0, spec));
    if (found.kind === "miss") {
      // Best effort and off the run's path: the run restores the in-memory image now.
      const save = this.#persist({ op: "save", dir, name: image.name, key: found.key, image: snapshot }).catch(() => undefined);
      this.#saves.add(save);
      void save.finally(() => this.#saves.delete(save));
    }
    return snapshot;
  }

  #taken(snapshot: MemoryImage): MemoryImage {
    this.#origins.push("snapshot-run");
    return snapshot;
  }

  #persist(input: PersistSnapshotInput): Promise<PersistSnapshotResult> {
    persistUrl ??= resolveBuiltFile(import.meta.url, `${THREAD_DIR}/snapshot/persist-snapshot.js`, PACKAGE_NAME);
    return this.#pool().prepare<PersistSnapshotResult>({ preparer: persistUrl, input });
  }

  async #take(image: MeteredImage, driver: string, argv0: string, spec: SnapshotSpec): Promise<MemoryImage> {
    const { raw, snapshot } = await this.#pool().snapshotRun({
      image,
      driver,
      driverData: spec.driverData,
      argv: [argv0],
      env: {},
      workspace: { entries: [], read: (path) => Promise.reject(new Error(`no file ${path} in a snapshot run`)) },
      mounts: spec.mounts ?? spec.mountPaths.map((guestPath) => ({ guestPath, files: {} })),
      limits: SNAPSHOT_LIMITS,
    });
    if (raw.exitCode !== 0 || raw.trapReason !== null || snapshot === null) {
      const why = raw.trapMessage ?? (snapshot === null && raw.exitCode === 0 ? "the driver saved no snapshot" : `exit code ${raw.exitCode}`);
      throw new SandboxExecutionError(
        `initializing ${image.name} for its snapshot "${spec.key}" failed: ${why}${raw.stderr ? ` — ${raw.stderr.slice(0, 1000)}` : ""}`,
      );
    }
    return snapshot;
  }
}

function memoKey(image: MeteredImage, driver: string, spec: SnapshotSpec): string {
  return `${image.hash}\0${driver}\0${spec.key}`;
}
