import { ExecutionLimitError, type GateRefusal } from "./execution-limit-error.js";

/**
 * Admission for executions: at most `perClient` running at once for one client (keyed on
 * the authenticated identity, not the MCP session, so opening more sessions buys nothing)
 * and at most `total` running or waiting for a worker across the server, so the worker
 * pool's queue stays bounded.
 */
export class ExecutionGate {
  readonly #perClient: number;
  readonly #total: number;
  readonly #running = new Map<string, number>();
  #all = 0;
  readonly #onReject: () => void;

  constructor(limits: { perClient: number; total: number }, onReject: () => void = () => {}) {
    this.#perClient = limits.perClient;
    this.#total = limits.total;
    this.#onReject = onReject;
  }

  /** What `acquire(client)` would refuse now, or null. (Advisory: `acquire` decides.) */
  check(client: string): GateRefusal | null {
    if ((this.#running.get(client) ?? 0) >= this.#perClient) return { scope: "client", limit: this.#perClient, retryAfterSeconds: 2 };
    if (this.#all >= this.#total) return { scope: "server", limit: this.#total, retryAfterSeconds: 5 };
    return null;
  }

  /** Takes a slot for `client`; returns the release function. @throws ExecutionLimitError */
  acquire(client: string): () => void {
    const refusal = this.check(client);
    if (refusal) {
      this.#onReject();
      throw new ExecutionLimitError(refusal);
    }
    this.#running.set(client, (this.#running.get(client) ?? 0) + 1);
    this.#all++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#all--;
      const left = (this.#running.get(client) ?? 1) - 1;
      if (left <= 0) this.#running.delete(client);
      else this.#running.set(client, left);
    };
  }

  /** Executions holding a slot, server-wide. */
  get active(): number {
    return this.#all;
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
