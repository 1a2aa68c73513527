import { ToolInputError } from "./tool-input-error.js";

/** Caps how many executions one client may have running at once. */
export class ConcurrencyLimiter {
  readonly #limit: number;
  readonly #running = new Map<string, number>();
  readonly #onReject: () => void;

  constructor(limit: number, onReject: () => void = () => {}) {
    this.#limit = limit;
    this.#onReject = onReject;
  }

  /** Takes a slot for `client` or throws a clear error; returns the release function. */
  acquire(client: string): () => void {
    const n = this.#running.get(client) ?? 0;
    if (n >= this.#limit) {
      this.#onReject();
      throw new ToolInputError(`too many concurrent executions for this client (limit ${this.#limit}); wait for one to finish and retry`);
    }
    this.#running.set(client, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#running.get(client) ?? 1) - 1;
      if (left <= 0) this.#running.delete(client);
      else this.#running.set(client, left);
    };
  }
}

/** A token bucket per client: `perMinute` requests, refilled continuously. */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }

  /** Takes a token; returns 0 when allowed, else the seconds to wait. */
  take(client: string, now = Date.now()): number {
    const b = this.#buckets.get(client) ?? { tokens: this.#perMinute, at: now };
    b.tokens = Math.min(this.#perMinute, b.tokens + ((now - b.at) / 60_000) * this.#perMinute);
    b.at = now;
    this.#buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * 60) / this.#perMinute);
  }

  /** Forgets clients idle long enough to have a full bucket. */
  sweep(now = Date.now()): void {
    for (const [k, b] of this.#buckets) if (now - b.at > 60_000) this.#buckets.delete(k);
  }
}
