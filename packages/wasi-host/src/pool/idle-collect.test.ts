import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createIdleCollector } from "./idle-collect.js";

const MiB = 1024 * 1024;
const policy = { soonMs: 50, soonBytes: 56 * MiB, lateMs: 3000 };

/** One task on `idle` that dropped `droppedBytes`, then `idleMs` without tasks. */
function task(idle: ReturnType<typeof createIdleCollector>, droppedBytes: number, idleMs: number): void {
  idle.busy();
  idle.idle(droppedBytes);
  vi.advanceTimersByTime(idleMs);
}

describe("createIdleCollector", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** One task that dropped `droppedBytes`; the collection must come exactly `soonMs` after it. */
  function expectCollectedSoonAfter(droppedBytes: number): ReturnType<typeof vi.fn> {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    task(idle, droppedBytes, 49);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    return collect;
  }

  it("collects soon after a task that dropped the soon threshold, once", () => {
    const collect = expectCollectedSoonAfter(76 * MiB);
    vi.advanceTimersByTime(10_000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("below the threshold collects only once the thread stayed idle for the late delay", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    task(idle, 16 * MiB, 2999);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("adds up what tasks dropped since the last collection, and starts over after one", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    for (let i = 0; i < 2; i++) {
      task(idle, 16 * MiB, 1000);
    }
    expect(collect).not.toHaveBeenCalled();
    task(idle, 16 * MiB, 50);
    expect(collect).toHaveBeenCalledTimes(1);
    // The 48 MiB were collected: the next 16 MiB wait for the late delay again.
    task(idle, 16 * MiB, 2999);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it("collects soon after one run when a second like it would reach the threshold", () => {
    // A 30 MiB run (Python): the next one would take the thread to 60 MiB.
    expectCollectedSoonAfter(30 * MiB);
  });

  it("takes the next run to be as large as the largest since the last collection", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    task(idle, 24 * MiB, 1000);
    expect(collect).not.toHaveBeenCalled();
    // 24 + 8 dropped, and the next run may be 24 again: 56 MiB.
    task(idle, 8 * MiB, 50);
    expect(collect).toHaveBeenCalledTimes(1);
    // The collection forgot the 24 MiB run: 16 + 16 dropped plus 16 stays below 56 MiB.
    for (let i = 0; i < 2; i++) {
      task(idle, 16 * MiB, 1000);
    }
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("never collects when its tasks dropped nothing", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    task(idle, 0, 60_000);
    expect(collect).not.toHaveBeenCalled();
  });

  it("collects soon after a preparation (it drops an unknown, large amount)", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    task(idle, Number.POSITIVE_INFINITY, 50);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("never collects while a task runs, and a burst of tasks pushes the collection back", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    for (let i = 0; i < 5; i++) {
      idle.busy();
      vi.advanceTimersByTime(5000);
      idle.idle(76 * MiB);
      vi.advanceTimersByTime(40);
    }
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("waits for every overlapping task (a preparation during a run) to end", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, policy);
    idle.busy();
    task(idle, Number.POSITIVE_INFINITY, 5000);
    expect(collect).not.toHaveBeenCalled();
    idle.idle(16 * MiB);
    vi.advanceTimersByTime(50);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("runs a real full collection by default (no --expose-gc needed): a dropped object is gone", async () => {
    vi.useRealTimers();
    let target: object | null = { payload: new Uint8Array(1 << 20) };
    const ref = new WeakRef(target);
    target = null;
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const idle = createIdleCollector(undefined, { soonMs: 0, soonBytes: 1, lateMs: 0 });
    idle.busy();
    idle.idle(1 << 20);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ref.deref()).toBeUndefined();
  });
});
