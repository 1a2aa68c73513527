/** The ceiling host-immunity tests hold the main thread's longest block to, ms (see event-loop-watch.js). */
export declare const EVENT_LOOP_CEILING_MS = 250;

/**
 * Runs `fn` and reports the longest block of the event loop seen meanwhile, in ms, less the
 * time the main thread only waited for a CPU (see event-loop-watch.js).
 */
export declare function watchEventLoop<T>(fn: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }>;
