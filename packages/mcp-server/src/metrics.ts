import type { SandboxResult } from "llm-wasm-sandbox";

interface RuntimeStats {
  executions: number;
  failures: number;
  traps: Record<string, number>;
  totalDurationMs: number;
  totalFuel: number;
}

/** Counters the `get_metrics` tool reports. */
export class Metrics {
  readonly #startedAt = Date.now();
  readonly #byRuntime = new Map<string, RuntimeStats>();
  #inFlight = 0;
  #peakInFlight = 0;
  #rejected = 0;

  /** Marks an execution as started; returns a function that records its result. */
  begin(): (runtime: string, result: SandboxResult | null) => void {
    this.#inFlight++;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    let done = false;
    return (runtime, result) => {
      if (done) return;
      done = true;
      this.#inFlight--;
      const s = this.#stats(runtime);
      s.executions++;
      if (!result || !result.success) s.failures++;
      if (result?.trapReason) s.traps[result.trapReason] = (s.traps[result.trapReason] ?? 0) + 1;
      s.totalDurationMs += result?.durationMs ?? 0;
      s.totalFuel += result?.fuelConsumed ?? 0;
    };
  }

  /** Counts a request refused by a limit (rate, concurrency, size). */
  rejected(): void {
    this.#rejected++;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  snapshot(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const mem = process.memoryUsage();
    const runtimes: Record<string, unknown> = {};
    let executions = 0;
    for (const [name, s] of this.#byRuntime) {
      executions += s.executions;
      runtimes[name] = {
        executions: s.executions,
        failures: s.failures,
        traps: s.traps,
        avgDurationMs: s.executions ? Math.round(s.totalDurationMs / s.executions) : 0,
        totalFuel: s.totalFuel,
      };
    }
    return {
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      executions,
      inFlight: this.#inFlight,
      peakInFlight: this.#peakInFlight,
      rejectedRequests: this.#rejected,
      runtimes,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      ...extra,
    };
  }

  #stats(runtime: string): RuntimeStats {
    let s = this.#byRuntime.get(runtime);
    if (!s) {
      s = { executions: 0, failures: 0, traps: {}, totalDurationMs: 0, totalFuel: 0 };
      this.#byRuntime.set(runtime, s);
    }
    return s;
  }
}
