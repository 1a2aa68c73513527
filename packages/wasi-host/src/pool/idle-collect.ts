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
 * V8's `gc()` without starting the process with `--expose-gc` (which a worker's execArgv
 * cannot carry): the flag is on only while one fresh context is created, and that
 * context's `gc` function stays usable. Guests never see it (they run in WebAssembly).
 */
function fullGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as () => void;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}
