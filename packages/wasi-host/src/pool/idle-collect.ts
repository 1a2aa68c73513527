/**
 * Idle collection of a worker thread's garbage. A finished run leaves its guest's memory
 * (Ruby ~76 MiB of address space, Python ~30 MiB, JavaScript and Lua 16 MiB), its instance
 * and the module bytes a preparation read as garbage of the thread's V8 isolate — and an
 * idle thread allocates nothing, so V8 never collects it: the host would hold it until the
 * next runs happen to trigger a collection. Here an idle thread runs one full collection:
 *
 * - **Soon** (`soonMs` after its last task ended) once its next run would start V8's own
 *   collection, or after a preparation. V8 starts a major collection when a WebAssembly
 *   memory is allocated with its external memory 64 MiB above its size at the last
 *   collection: incremental marking from that allocation on, finalized at the run's end —
 *   all of it on the run's clock (a cold Python run whose thread had dropped one Python
 *   run's 30 MiB: worker part 26 vs 13 ms, thread CPU 18 vs 12 ms, per-run schedstat,
 *   faststart bench). The next run is taken to be as large as the largest run since the
 *   last collection, and a run's other buffers to stay under 8 MiB: so the thread collects
 *   once the guest memory dropped since its last collection plus that largest run reaches
 *   `soonBytes` (56 MiB) — after every Ruby or Python run, every third JavaScript or Lua
 *   run — right after the run, when its result is already on its way and its pre-warmed
 *   successor built, off every run's clock.
 * - **Late** (`lateMs` after its last task ended) whatever it dropped: a thread idle that
 *   long holds no garbage of its runs at all.
 *
 * Below that a short pause does not collect: a full collection costs the thread ~5 ms
 * and makes its next run slower (measured: a pre-warmed JavaScript hello's worker part
 * 1.32 vs 1.05 ms median, whether the collection ran 50 ms or 1 s before it), so collecting
 * after every run would charge that to every run of a conversation. So an idle thread holds
 * less than `soonBytes` of finished runs' guest memory for at most `lateMs`, and none after.
 * A burst of runs never pays for a collection (each task pushes it back), and a task that
 * arrives while one runs waits only for the collection itself.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Guest memory, in bytes, at which an idle thread collects soon: what its runs dropped since
 * its last collection plus the largest of them (V8's 64 MiB less 8 MiB for a run's other buffers).
 */
export const IDLE_COLLECT_BYTES = 56 * 1024 * 1024;
/** Idle time, in ms, after which a thread that reached `IDLE_COLLECT_BYTES` collects. */
export const IDLE_COLLECT_SOON_MS = 50;
/** Idle time, in ms, after which a thread collects whatever it dropped. */
export const IDLE_COLLECT_LATE_MS = 3000;

/** When an idle thread collects (see the module documentation). */
export interface IdleCollectPolicy {
  readonly soonMs: number;
  /** Collects soon once the bytes dropped since the last collection plus the largest single drop reach this. */
  readonly soonBytes: number;
  readonly lateMs: number;
}

const DEFAULT_POLICY: IdleCollectPolicy = { soonMs: IDLE_COLLECT_SOON_MS, soonBytes: IDLE_COLLECT_BYTES, lateMs: IDLE_COLLECT_LATE_MS };

/** Tells the collector when the thread's tasks start and end. */
export interface IdleCollector {
  /** A task started: no collection until every task ended. */
  busy(): void;
  /**
   * A task ended, leaving `droppedBytes` of garbage (a run: its guest memory's size;
   * `Infinity` for a preparation, whose module bytes are always worth collecting).
   */
  idle(droppedBytes: number): void;
}

/**
 * @param collect What a collection does (default: V8's full garbage collection).
 * @param policy When an idle thread collects.
 */
export function createIdleCollector(collect: () => void = fullGc(), policy: IdleCollectPolicy = DEFAULT_POLICY): IdleCollector {
  let running = 0;
  /** Garbage left by tasks since the last collection, in bytes. */
  let dropped = 0;
  /** The largest garbage one task left since the last collection: what the next run is taken to allocate. */
  let largest = 0;
  let timer: NodeJS.Timeout | null = null;
  const cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    busy() {
      running++;
      cancel();
    },
    idle(droppedBytes) {
      running = Math.max(0, running - 1);
      dropped += droppedBytes;
      largest = Math.max(largest, droppedBytes);
      if (running > 0 || dropped === 0) return;
      cancel();
      timer = setTimeout(
        () => {
          timer = null;
          if (running > 0) return;
          dropped = 0;
          largest = 0;
          collect();
        },
        dropped + largest >= policy.soonBytes ? policy.soonMs : policy.lateMs,
      );
      // Never what keeps a thread (or a process) alive.
      timer.unref();
    },
  };
}

/**
 * V8's full collection without starting the process with `--expose-gc` (which a worker's
 * execArgv cannot carry): the flag is on only while one fresh context is created, and that
 * context's `gc` function stays usable. Obtained at the first collection, not at thread
 * start; if another thread switched the process-wide flag off in between, this collection
 * is skipped and the next one tries again. Guests never see `gc` (they run in WebAssembly).
 */
function fullGc(): () => void {
  let gc: (() => void) | null = null;
  return () => {
    gc ??= exposedGc();
    gc?.();
  };
}

function exposedGc(): (() => void) | null {
  const global = (globalThis as { gc?: () => void }).gc;
  if (typeof global === "function") return global;
  setFlagsFromString("--expose-gc");
  try {
    const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof gc === "function" ? (gc as () => void) : null;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}
