import { describe, expect, it } from "vitest";
import { createGuestClock, DETERMINISTIC_EPOCH_NS, DETERMINISTIC_STEP_NS } from "./clock.js";

describe("createGuestClock", () => {
  it("deterministic: frozen realtime, stepping monotonic, sleeps move virtual time", () => {
    const c = createGuestClock({ deterministic: true, randomSeed: 3 });
    expect(c.realtimeNs()).toBe(DETERMINISTIC_EPOCH_NS);
    expect(c.realtimeNs()).toBe(DETERMINISTIC_EPOCH_NS);
    const m = c.monotonicNs();
    expect(c.monotonicNs()).toBe(m + DETERMINISTIC_STEP_NS);
    c.sleep(10_000_000_000n);
    expect(c.realtimeNs()).toBe(DETERMINISTIC_EPOCH_NS + 10_000_000_000n);
    expect(c.monotonicNs() > m + 10_000_000_000n).toBe(true);
  });

  it("deterministic random: same seed same bytes, different seeds differ, odd lengths filled", () => {
    const bytes = (seed: number, n: number): string => {
      const b = new Uint8Array(n);
      createGuestClock({ deterministic: true, randomSeed: seed }).fillRandom(b);
      return Buffer.from(b).toString("hex");
    };
    expect(bytes(9, 33)).toBe(bytes(9, 33));
    expect(bytes(9, 33)).not.toBe(bytes(10, 33));
    expect(bytes(9, 33).startsWith(bytes(9, 7))).toBe(true);
    expect(new Set(bytes(0, 64).match(/../g)).size).toBeGreaterThan(20);
  });

  it("real: random bytes beyond getRandomValues' 64 KiB limit, realtime near Date.now()", () => {
    const c = createGuestClock({ deterministic: false });
    const b = new Uint8Array(200_000);
    c.fillRandom(b);
    expect(b.subarray(150_000, 150_064).some((x) => x !== 0)).toBe(true);
    const drift = Number(c.realtimeNs() / 1_000_000n) - Date.now();
    expect(Math.abs(drift)).toBeLessThan(60_000);
    expect(c.deterministic).toBe(false);
  });
});
