import type { MessagePort } from "node:worker_threads";
import type { CommitPlan, GuestFact, Journal, ReadonlyMount, WorkspaceEntry } from "@llm-wasm-sandbox/core";
import type { TrapClassification } from "../classify-trap.js";
import type { MemoryImage } from "../snapshot/memory-image.js";
import type { MeteredImage, RunLimits } from "../types.js";

/**
 * What the main thread posts to a pooled worker for one run. Everything is structured-
 * clonable; the compiled module is shared (not copied) between threads, the port is
 * transferred, and the shared buffers are the worker's only lasting link to the host.
 */
export interface WorkerTask {
  readonly module: WebAssembly.Module | null;
  readonly image: Omit<MeteredImage, "module"> | null;
  /** File URL of the driver module (built JavaScript). */
  readonly driver: string;
  readonly driverData: unknown;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: Uint8Array | null;
  /** The /app listing; file bytes come through `port` when first opened. */
  readonly entries: readonly WorkspaceEntry[];
  readonly mounts: readonly ReadonlyMount[];
  readonly seedFiles: Readonly<Record<string, Uint8Array>>;
  readonly limits: RunLimits;
  /** The snapshot to restore, or null. */
  readonly snapshot: MemoryImage | null;
  /** A snapshot run: the driver may call `ctx.saveSnapshot`. */
  readonly snapshotRun: boolean;
  /** JSON text of the host functions' manifest (see `RunOptions.toolManifest`). */
  readonly toolManifest: string;
  /** After the run, keep an instance ready for the next run like it (see `RunOptions.prewarm`). */
  readonly prewarm: boolean | "if-vacant";
  /**
   * Lazy reads and host calls (see `channel/protocol.ts`). Null when the thread has a
   * channel of its own that serves every run on it (a warm session's worker), or in a pool
   * thread when the run needs none: an empty workspace and no host functions (the worker
   * answers tool calls as the main thread would, see `createChannellessClient`).
   */
  readonly port: MessagePort | null;
  /** Flags shared with the main thread (reply sequence, memory pages). */
  readonly flags: SharedArrayBuffer;
  /** Capped output buffers (see `shared-output.ts`). */
  readonly stdout: SharedArrayBuffer;
  readonly stderr: SharedArrayBuffer;
}

/** What the worker returns; outputs are read from the shared buffers instead. */
export interface WorkerOutcome {
  readonly exitCode: number;
  readonly trap: TrapClassification | null;
  /** The run's instance was a pre-warmed one (see `pool/prewarm-cache.ts`). */
  readonly prewarmed: boolean;
  readonly fuelConsumed: number;
  readonly memoryUsedBytes: number;
  /**
   * The /app changes. The worker moves (transfers) the written data's buffers, so each
   * entry's `data` may sit on a (resizable) ArrayBuffer of its own that the worker no
   * longer holds; consumers must not assume it is a slice of anything.
   */
  readonly journal: Journal;
  /** `journal` planned against `WorkerTask.entries` (same data buffers); null when the changes could not be collected. */
  readonly plan: CommitPlan | null;
  /** /app paths too deeply nested to be stored (see `VirtualFs.unjournaledPaths`). */
  readonly unjournaled?: readonly string[];
  /** Facts the bootstrap reported on the control channel. */
  readonly facts: readonly GuestFact[];
  /** The image a snapshot run's driver saved (its data moved, not copied). */
  readonly snapshot?: MemoryImage;
  /** The outputs, decoded by the worker (absent when the worker was stopped: the host reads the buffers then). */
  readonly output?: { readonly stdout: DecodedOutput; readonly stderr: DecodedOutput };
}

/** A capped output stream, decoded. */
export interface DecodedOutput {
  readonly text: string;
  readonly truncated: boolean;
}
