/**
 * The host-immunity check of the attack suites: how long the test's own event loop (the
 * sandbox host's main thread) was blocked while an attack ran. Tests assert a generous
 * ceiling, never a wall time.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

/** The ceiling attack tests hold the main thread's longest block to. */
export const EVENT_LOOP_CEILING_MS = 250;

/** Runs `fn` and reports the longest event-loop delay seen meanwhile, in ms. */
export async function watchEventLoop<T>(fn: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await fn();
    // One more turn so a block at the very end is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, maxDelayMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}
