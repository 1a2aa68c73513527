import { describe, expect, it } from "vitest";
import { RESULT_TAKEN } from "../channel/protocol.js";
import type { RunOptions } from "../types.js";
import { allocateRunBuffers, dispatchRun, type TaskRunner } from "./dispatch.js";
import type { WorkerOutcome } from "./task.js";

const LIMITS: RunOptions["limits"] = { memoryBytes: 1 << 20, fuelBudget: 1_000_000, timeoutMs: 1000, stdoutMaxBytes: 100, stderrMaxBytes: 100, deterministic: true, randomSeed: 1 };
const OPTIONS: RunOptions = { image: null, argv: [], env: {}, workspace: { entries: [], read: () => Promise.reject(new Error("no reads")) }, mounts: [], limits: LIMITS };
const OUTCOME: WorkerOutcome = { exitCode: 0, trap: null, prewarmed: false, fuelConsumed: 0, memoryUsedBytes: 0, journal: { entries: [] }, plan: null, facts: [] };

describe("dispatchRun", () => {
  it("tells the thread once it took a completed run's result (the thread builds its next instance only then)", async () => {
    const buffers = allocateRunBuffers(LIMITS);
    let takenWhileRunning: number | null = null;
    const threads: TaskRunner = {
      run: async () => {
        takenWhileRunning = Atomics.load(new Int32Array(buffers.flags), RESULT_TAKEN);
        return OUTCOME;
      },
    };
    const { completed } = await dispatchRun(threads, OPTIONS, false, buffers);
    expect(completed).toBe(true);
    expect(takenWhileRunning).toBe(0);
    expect(Atomics.load(new Int32Array(buffers.flags), RESULT_TAKEN)).toBe(1);
  });

  it("does not for a run whose thread failed (it builds nothing)", async () => {
    const buffers = allocateRunBuffers(LIMITS);
    const threads: TaskRunner = { run: () => Promise.reject(new Error("thread died")) };
    const { completed, raw } = await dispatchRun(threads, OPTIONS, false, buffers);
    expect(completed).toBe(false);
    expect(raw.trapReason).toBe("host_error");
    expect(Atomics.load(new Int32Array(buffers.flags), RESULT_TAKEN)).toBe(0);
  });
});
