/**
 * The meter's version, in a module of its own: the main thread needs it for cache keys and
 * snapshot keys, and must not load the meter for that (see `host.ts`).
 */

/** Bumped whenever the rewrite changes; part of the cache key. */
export const METER_VERSION = 9;
