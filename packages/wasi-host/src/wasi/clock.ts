/**
 * Guest clocks and randomness. Deterministic mode makes runs reproducible: realtime
 * is frozen at DETERMINISTIC_EPOCH_NS (moving only by virtual sleeps), monotonic time
 * advances by a fixed step on every read (so `while time.monotonic() < t` loops end),
 * sleeps advance the virtual clock instead of waiting, and random bytes come from
 * xoshiro128** seeded through splitmix32. Otherwise clocks and randomness are real,
 * and sleeps block the worker thread with Atomics.wait, bounded by `maxSleepMs`.
 */
import type { GuestClock } from "../types.js";

/** 2024-01-01T00:00:00Z in ns: the frozen realtime of deterministic runs. */
export const DETERMINISTIC_EPOCH_NS = 1_704_067_200_000_000_000n;
/** How far the deterministic monotonic clock moves per read: 1 ms. */
export const DETERMINISTIC_STEP_NS = 1_000_000n;

/** Options of `createGuestClock`. */
export interface GuestClockOptions {
  readonly deterministic: boolean;
  /** Seed of the deterministic PRNG (ignored otherwise). */
  readonly randomSeed?: number;
  /** Longest real sleep of one call, ms (default 10 000); longer sleeps return early. */
  readonly maxSleepMs?: number;
  /**
   * Called before each sleep, real or virtual: a guest that waits is where the worker can
   * record the fuel spent so far (see FUEL_SPENT), so a sleep loop stopped by the wall
   * clock reports what it ran.
   */
  readonly beforeSleep?: () => void;
}

/** A GuestClock that can also sleep and tell its resolution (what WASI needs). */
export interface RunClock extends GuestClock {
  readonly deterministic: boolean;
  /** Blocks (or, deterministic, advances virtual time) for `ns`. */
  sleep(ns: bigint): void;
  /** Clock resolution in ns. */
  resolutionNs(): bigint;
}

/** Creates the clock of one run. */
export function createGuestClock(options: GuestClockOptions): RunClock {
  const clock = options.deterministic ? deterministicClock(options.randomSeed ?? 0) : realClock(options.maxSleepMs ?? 10_000);
  const { beforeSleep } = options;
  if (beforeSleep === undefined) return clock;
  const { sleep } = clock;
  clock.sleep = (ns) => {
    beforeSleep();
    sleep(ns);
  };
  return clock;
}

function deterministicClock(seed: number): RunClock {
  let slept = 0n;
  let ticks = 0n;
  const next = xoshiro128ss(seed);
  return {
    deterministic: true,
    realtimeNs: () => DETERMINISTIC_EPOCH_NS + slept,
    monotonicNs: () => {
      ticks += DETERMINISTIC_STEP_NS;
      return slept + ticks;
    },
    fillRandom(buf) {
      for (let i = 0; i < buf.length; i += 4) {
        let word = next();
        for (let j = i; j < Math.min(i + 4, buf.length); j++) {
          buf[j] = word & 0xff;
          word >>>= 8;
        }
      }
    },
    sleep(ns) {
      if (ns > 0n) slept += ns;
    },
    resolutionNs: () => DETERMINISTIC_STEP_NS,
  };
}

function realClock(maxSleepMs: number): RunClock {
  const scratch = new Int32Array(new SharedArrayBuffer(4));
  const originNs = BigInt(Math.round(performance.timeOrigin * 1e6));
  return {
    deterministic: false,
    realtimeNs: () => originNs + BigInt(Math.round(performance.now() * 1e6)),
    monotonicNs: () => process.hrtime.bigint(),
    fillRandom(buf) {
      // getRandomValues accepts at most 65 536 bytes per call.
      for (let i = 0; i < buf.length; i += 65_536) crypto.getRandomValues(buf.subarray(i, Math.min(i + 65_536, buf.length)));
    },
    sleep(ns) {
      if (ns <= 0n) return;
      const ms = Math.min(Number(ns / 1_000_000n), maxSleepMs);
      if (ms > 0) Atomics.wait(scratch, 0, 0, ms);
    },
    resolutionNs: () => 1_000n,
  };
}

/** xoshiro128** (Blackman & Vigna), state seeded by splitmix32 so any seed works. */
function xoshiro128ss(seed: number): () => number {
  let x = seed >>> 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d >>> 0, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };
}

function rotl(v: number, k: number): number {
  return ((v << k) | (v >>> (32 - k))) >>> 0;
}
