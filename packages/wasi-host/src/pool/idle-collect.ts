/**
 * Idle collection of a worker thread's garbage. A finished run leaves its guest's memory
 * (Ruby ~25 MiB touched of ~76 MiB, Python ~30 MiB), its instance and the module bytes a
 * preparation read as garbage of the thread's V8 isolate — and an idle thread allocates
 * nothing, so V8 never collects it: the host holds it until the next runs happen to
 * trigger a collection. Here a thread that has been idle for `IDLE_COLLECT_MS` runs one
 * full collection. A burst of runs never pays for it (each task pushes the collection back),
 * and a task that arrives while it runs waits only for the collection itself.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Idle time of a worker thread, in ms, after which it collects its garbage once. */
export const IDLE_COLLECT_MS = 1000;

/** Tells the collector when the thread's tasks start and end. */
export interface IdleCollector {
  /** A task started: no collection until every task ended. */
  busy(): void;
  /** A task ended: collect once the thread stays idle for the delay. */
  idle(): void;
}

/**
 * @param collect What a collection does (default: V8's full garbage collection).
 * @param delayMs Idle time before it.
 */
export function createIdleCollector(collect: () => void = fullGc(), delayMs: number = IDLE_COLLECT_MS): IdleCollector {
  let running = 0;
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
    idle() {
      running = Math.max(0, running - 1);
      if (running > 0) return;
      cancel();
      timer = setTimeout(() => {
        timer = null;
        if (running === 0) collect();
      }, delayMs);
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
