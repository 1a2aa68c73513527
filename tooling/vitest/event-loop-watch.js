/**
 * The host-immunity check of the test suites: how long the test's own event loop (the
 * sandbox host's main thread) was blocked while something ran. Tests assert a generous
 * ceiling, never a wall time.
 *
 * A tick every {@link TICK_MS} measures each gap between turns of the loop. On a shared,
 * loaded machine a gap also grows while the main thread is runnable but waits for a CPU
 * (another process, or the guest's own worker thread, holds both cores): that is the
 * scheduler, not the host blocking. Where Linux reports it (`/proc/<pid>/task/<tid>/schedstat`,
 * second field: nanoseconds spent waiting on a run queue), that wait is taken out of the
 * gap, so what is left is the time the thread ran or slept inside a call without returning
 * to the loop — a block, which is what the ceiling is about. Elsewhere the plain gap counts.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";

/** The ceiling host-immunity tests hold the main thread's longest block to, ms. */
export const EVENT_LOOP_CEILING_MS = 250;

/** How often the watcher's timer asks for a turn of the loop. */
const TICK_MS = 10;

/** The main thread's schedstat file (its thread id is the process id). */
const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/**
 * Milliseconds the main thread has waited on a run queue so far; null where not reported.
 * @returns {number | null}
 */
function runQueueWaitMs() {
  try {
    const wait = Number(readFileSync(SCHEDSTAT, "utf8").split(" ")[1]);
    return Number.isFinite(wait) ? wait / 1e6 : null;
  } catch {
    return null;
  }
}

/**
 * Runs `fn` and reports the longest block of the event loop seen meanwhile, in ms: the
 * longest gap between two turns beyond the timer's own interval, less the time the thread
 * only waited for a CPU (see the module comment).
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ result: T; maxDelayMs: number }>}
 */
export async function watchEventLoop(fn) {
  let maxDelayMs = 0;
  let lastAt = performance.now();
  let lastWait = runQueueWaitMs();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const tick = () => {
    const at = performance.now();
    const wait = runQueueWaitMs();
    const waited = wait !== null && lastWait !== null ? wait - lastWait : 0;
    maxDelayMs = Math.max(maxDelayMs, at - lastAt - TICK_MS - waited);
    lastAt = at;
    lastWait = wait;
    timer = setTimeout(tick, TICK_MS);
  };
  timer = setTimeout(tick, TICK_MS);
  try {
    const result = await fn();
    // One more turn so a block at the very end is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 2 * TICK_MS));
    return { result, maxDelayMs };
  } finally {
    clearTimeout(timer);
  }
}
