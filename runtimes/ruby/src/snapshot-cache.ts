/**
 * One initialized-VM snapshot per process and mount layout.
 *
 * Why per layout: wasi-libc and wasi-vfs read the preopened directories during
 * `ruby-init` and keep the list in linear memory, so a snapshot only fits runs whose
 * preopens (/app plus the read-only mounts, by guest path and order) are the same as
 * the snapshot run's. File contents do not matter (init opens no host file), so the
 * snapshot run mounts empty trees at those paths and sees no session data: a snapshot
 * is safe to share across sessions.
 *
 * Why in a worker, through `run()`: the init then uses the very WASI implementation and
 * fd numbering later runs get, and the main thread is not blocked for the ~1 s it takes.
 * The result lives in a SharedArrayBuffer that every worker reads in place.
 */
import { SandboxExecutionError } from "@llm-wasm-sandbox/core";
import { ruby as rubyState } from "@llm-wasm-sandbox/state";
import { run, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import { PRELOAD_RB, RUNTIME_RB } from "./bootstrap.js";
import type { MemoryImage } from "./memory-image.js";
import { TRANSFER_BYTES, readSnapshot, type RubyDriverData } from "./snapshot-transfer.js";

/**
 * Limits of the snapshot run: the init is the sandbox's own work, never billed to a guest.
 * Deterministic with a fixed seed, so every process boots the very same VM (same hash
 * seed, same heap layout) and a given program consumes the same fuel in every process,
 * not only within one.
 */
const SNAPSHOT_LIMITS = {
  fuelBudget: Number.MAX_SAFE_INTEGER,
  memoryBytes: 512 * 1024 * 1024,
  stdoutMaxBytes: 65536,
  stderrMaxBytes: 65536,
  timeoutMs: 120_000,
  deterministic: true,
  randomSeed: 0x5eed,
} as const;

/** Snapshots of one metered Ruby image, keyed by mount layout. */
export class SnapshotCache {
  static readonly #byImage = new Map<string, SnapshotCache>();
  readonly #images = new Map<string, Promise<MemoryImage>>();

  private constructor(
    private readonly image: MeteredImage,
    private readonly driver: string,
  ) {}

  /** The process-wide cache for `image` run by `driver`. */
  static shared(image: MeteredImage, driver: string): SnapshotCache {
    const key = `${image.hash}\0${driver}`;
    let cache = SnapshotCache.#byImage.get(key);
    if (!cache) {
      cache = new SnapshotCache(image, driver);
      SnapshotCache.#byImage.set(key, cache);
    }
    return cache;
  }

  /** The snapshot for runs whose read-only mounts sit at `mountPaths` (in order). */
  get(mountPaths: readonly string[]): Promise<MemoryImage> {
    const key = JSON.stringify(mountPaths);
    let pending = this.#images.get(key);
    if (!pending) {
      pending = this.#take(mountPaths);
      this.#images.set(key, pending);
      pending.catch(() => this.#images.delete(key)); // retry on the next run, do not cache failures
    }
    return pending;
  }

  async #take(mountPaths: readonly string[]): Promise<MemoryImage> {
    const out = new SharedArrayBuffer(TRANSFER_BYTES);
    const data: RubyDriverData = { mode: "snapshot", bootstrap: `${RUNTIME_RB}\n${rubyState.STATE_HELPERS_RB}\n${PRELOAD_RB}\nGC.start\n`, out };
    const raw = await run({
      image: this.image,
      driver: this.driver,
      driverData: data,
      argv: ["ruby"],
      env: {},
      workspace: { entries: [], read: (path) => Promise.reject(new Error(`no file ${path} in the snapshot workspace`)) },
      mounts: mountPaths.map((guestPath) => ({ guestPath, files: {} })),
      limits: SNAPSHOT_LIMITS,
    });
    if (raw.exitCode !== 0 || raw.trapReason !== null) {
      throw new SandboxExecutionError(
        `[ruby] initializing the Ruby VM failed (exit ${raw.exitCode}, ${raw.trapReason ?? "no trap"}: ${raw.trapMessage ?? ""} ${raw.stderr.slice(0, 1000)}) — check that @ruby/3.4-wasm-wasi is installed intact`,
      );
    }
    return readSnapshot(out);
  }
}
