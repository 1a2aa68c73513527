import type { Sandbox } from "llm-wasm-sandbox";

/** Sandboxes kept at most; the least recently used one is dropped past it (and created again on its next use). */
export const MAX_CACHED_SANDBOXES = 1024;

/**
 * The `Sandbox` of each session the server works with, so a tool call reuses the one it
 * made for the session before instead of calling `createSandbox` again (which re-reads the
 * session's metadata and resolves the runtime every time). A sandbox holds no worker or
 * file: dropping one costs nothing but its re-creation. Entries are forgotten when their
 * session is destroyed or expires, and the least recently used is dropped past `limit`.
 * A dropped keepAlive sandbox is closed, which ends its live interpreter.
 */
export class SessionSandboxes {
  readonly #limit: number;
  readonly #bySession = new Map<string, Sandbox>();

  constructor(limit = MAX_CACHED_SANDBOXES) {
    this.#limit = limit;
  }

  /** The sandbox of `sessionId` for `runtime`, if one is kept (a session used with another language gets a new one). */
  get(sessionId: string, runtime: string): Sandbox | undefined {
    const sandbox = this.#bySession.get(sessionId);
    if (!sandbox || sandbox.runtime !== runtime) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.#bySession.delete(sessionId);
    this.#bySession.set(sessionId, sandbox);
    return sandbox;
  }

  /** Keeps `sandbox` for its session, replacing any earlier one. */
  set(sandbox: Sandbox): void {
    const earlier = this.#bySession.get(sandbox.sessionId);
    if (earlier !== undefined && earlier !== sandbox) release(earlier);
    this.#bySession.delete(sandbox.sessionId);
    this.#bySession.set(sandbox.sessionId, sandbox);
    for (const oldest of this.#bySession.keys()) {
      if (this.#bySession.size <= this.#limit) break;
      release(this.#bySession.get(oldest));
      this.#bySession.delete(oldest);
    }
  }

  /** Forgets a session's sandbox (the session was destroyed or expired). */
  forget(sessionId: string): void {
    release(this.#bySession.get(sessionId));
    this.#bySession.delete(sessionId);
  }

  get size(): number {
    return this.#bySession.size;
  }
}

/** Ends a dropped sandbox's live interpreter (keepAlive); other sandboxes hold nothing to free. */
function release(sandbox: Sandbox | undefined): void {
  if (sandbox?.keepAlive) void sandbox.close().catch(() => undefined);
}
