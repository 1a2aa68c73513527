import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const onLinux = (() => {
  try {
    return readFileSync(SCHEDSTAT, "utf8").split(" ").length >= 3;
  } catch {
    return false;
  }
})();

/** Nanoseconds the main thread has run on a CPU. */
const cpuNs = (): bigint => BigInt(readFileSync(SCHEDSTAT, "utf8").split(" ")[0]!);

describe("watchEventLoop (the attack suites' main-thread block meter)", () => {
  it.runIf(onLinux)("reports a synchronous computation that holds the thread for 2× the ceiling of its own CPU time", async () => {
    const { maxDelayMs } = await watchEventLoop(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const until = cpuNs() + BigInt(2 * EVENT_LOOP_CEILING_MS) * 1_000_000n;
      while (cpuNs() < until);
    });
    expect(maxDelayMs).toBeGreaterThan(EVENT_LOOP_CEILING_MS);
  });

  it("reports a synchronous sleep (a blocking call) of 2× the ceiling, though it uses no CPU", async () => {
    const { maxDelayMs } = await watchEventLoop(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 * EVENT_LOOP_CEILING_MS);
    });
    expect(maxDelayMs).toBeGreaterThan(EVENT_LOOP_CEILING_MS);
  });

  it("reports no block while the loop only waits", async () => {
    const { result, maxDelayMs } = await watchEventLoop(() => new Promise((resolve) => setTimeout(() => resolve("idle"), 2 * EVENT_LOOP_CEILING_MS)));
    expect(result).toBe("idle");
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });
});
