/**
 * Initialized-interpreter snapshots, one per image, driver and snapshot key, taken once
 * per store (a SandboxHost owns one) by running the plugin's driver in a snapshot run.
 *
 * A snapshot is shared by every session, so the snapshot run sees no session data: an
 * empty /app, empty trees at the spec's mount paths, no environment. Its limits are the
 * sandbox's own (never billed to a guest) and deterministic with a fixed seed, so every
 * process boots the very same interpreter and a program's fuel does not depend on which
 * process ran it.
 */
import { SandboxExecutionError, type SnapshotSpec } from "@llm-wasm-sandbox/core";
import type { WorkerPool } from "../pool/worker-pool.js";
import type { MemoryImage } from "../snapshot/memory-image.js";
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

/** Memoized snapshots; a failed snapshot run is forgotten so the next run retries it. */
export class SnapshotStore {
  readonly #pool: () => WorkerPool;
  readonly #images = new Map<string, Promise<MemoryImage>>();

  constructor(pool: () => WorkerPool) {
    this.#pool = pool;
  }

  /** The snapshot for runs of `image` through `driver` that name `spec.key`. */
  get(image: MeteredImage, driver: string, argv0: string, spec: SnapshotSpec): Promise<MemoryImage> {
    const key = `${image.hash}\0${driver}\0${spec.key}`;
    let pending = this.#images.get(key);
    if (!pending) {
      pending = this.#take(image, driver, argv0, spec);
      this.#images.set(key, pending);
      pending.catch(() => this.#images.delete(key));
    }
    return pending;
  }

  /** Forgets every snapshot (their memory is freed once no run holds them). */
  clear(): void {
    this.#images.clear();
  }

  async #take(image: MeteredImage, driver: string, argv0: string, spec: SnapshotSpec): Promise<MemoryImage> {
    const { raw, snapshot } = await this.#pool().snapshotRun({
      image,
      driver,
      driverData: spec.driverData,
      argv: [argv0],
      env: {},
      workspace: { entries: [], read: (path) => Promise.reject(new Error(`no file ${path} in a snapshot run`)) },
      mounts: spec.mountPaths.map((guestPath) => ({ guestPath, files: {} })),
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
