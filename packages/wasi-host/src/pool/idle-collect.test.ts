import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createIdleCollector } from "./idle-collect.js";

describe("createIdleCollector", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("collects once after the thread stayed idle for the delay", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, 1000);
    idle.busy();
    idle.idle();
    vi.advanceTimersByTime(999);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("never collects while a task runs, and a burst of tasks pushes the collection back", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, 1000);
    for (let i = 0; i < 5; i++) {
      idle.busy();
      vi.advanceTimersByTime(5000);
      idle.idle();
      vi.advanceTimersByTime(500);
    }
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("waits for every overlapping task (a preparation during a run) to end", () => {
    const collect = vi.fn();
    const idle = createIdleCollector(collect, 1000);
    idle.busy();
    idle.busy();
    idle.idle();
    vi.advanceTimersByTime(5000);
    expect(collect).not.toHaveBeenCalled();
    idle.idle();
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("runs a real full collection by default (no --expose-gc needed): a dropped object is gone", async () => {
    vi.useRealTimers();
    let target: object | null = { payload: new Uint8Array(1 << 20) };
    const ref = new WeakRef(target);
    target = null;
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const idle = createIdleCollector(undefined, 0);
    idle.busy();
    idle.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ref.deref()).toBeUndefined();
  });
});
