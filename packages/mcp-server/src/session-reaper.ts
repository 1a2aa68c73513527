import { deleteSessionWorkspace, pruneSessions, type StorageAdapter } from "llm-wasm-sandbox";
import type { Logger } from "pino";

/** How long sessions live without use. 0 disables a rule. */
export interface SessionLifetimes {
  /** Sessions of any kind idle this long are deleted, ms (`--session-ttl-hours`). */
  readonly sessionTtlMs: number;
  /** Sessions the server created for an execute_code call without session_id, idle this long, ms (`--ephemeral-session-ttl-minutes`). */
  readonly ephemeralTtlMs: number;
}

/**
 * Deletes sessions nobody uses any more, so sessionless calls do not leave a workspace
 * behind forever. Sessions the server created itself (execute_code without session_id)
 * are remembered in memory and deleted after a short idle time; every session of the
 * storage is pruned after a long one (that rule also catches ephemeral sessions of a
 * previous server process). A session with an execution running is never deleted:
 * deletion waits for the session lock.
 */
export class SessionReaper {
  readonly #storage: StorageAdapter;
  readonly #lifetimes: SessionLifetimes;
  readonly #logger: Logger;
  readonly #ephemeral = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #sweeping: Promise<void> | null = null;
  #busy: (sessionId: string) => boolean = () => false;
  readonly #onDelete: Array<(sessionId: string) => void> = [];

  constructor(storage: StorageAdapter, lifetimes: SessionLifetimes, logger: Logger) {
    this.#storage = storage;
    this.#lifetimes = lifetimes;
    this.#logger = logger;
  }

  /** Remembers a session the server created on its own; each use restarts its idle time. */
  touchEphemeral(sessionId: string, now = Date.now()): void {
    this.#ephemeral.set(sessionId, now);
  }

  /** Restarts the idle time of a session if it is ephemeral. */
  touch(sessionId: string, now = Date.now()): void {
    if (this.#ephemeral.has(sessionId)) this.#ephemeral.set(sessionId, now);
  }

  /** True for a session the server created for a sessionless call. */
  isEphemeral(sessionId: string): boolean {
    return this.#ephemeral.has(sessionId);
  }

  /** Calls `listener` with the id of every session this reaper deletes. */
  onDelete(listener: (sessionId: string) => void): void {
    this.#onDelete.push(listener);
  }

  /** Forgets a session (it was destroyed). */
  forget(sessionId: string): void {
    this.#ephemeral.delete(sessionId);
  }

  /**
   * Sweeps every `intervalMs` (unref'd: never keeps the process alive). `busy` tells which
   * sessions have an execution in flight: those are never expired.
   */
  start(intervalMs: number, busy: (sessionId: string) => boolean = () => false): void {
    this.#busy = busy;
    this.#timer ??= setInterval(() => void this.sweep(), intervalMs).unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#sweeping;
  }

  /** Deletes idle sessions now; one sweep at a time. */
  sweep(now = Date.now()): Promise<void> {
    this.#sweeping ??= this.#sweep(now).finally(() => (this.#sweeping = null));
    return this.#sweeping;
  }

  async #sweep(now: number): Promise<void> {
    const { ephemeralTtlMs, sessionTtlMs } = this.#lifetimes;
    if (ephemeralTtlMs > 0) {
      for (const [id, lastUsed] of this.#ephemeral) {
        if (now - lastUsed < ephemeralTtlMs || this.#busy(id)) continue;
        this.#ephemeral.delete(id);
        try {
          const deleted = await deleteSessionWorkspace(id, { storage: this.#storage });
          this.#deleted(id);
          if (deleted) this.#logger.info({ event: "mcp.session.expired", sessionId: id, kind: "ephemeral" }, "ephemeral session deleted");
        } catch (err) {
          this.#logger.warn({ event: "mcp.session.expire_failed", sessionId: id, err }, "could not delete an idle ephemeral session");
        }
      }
    }
    if (sessionTtlMs > 0) {
      const result = await pruneSessions({ storage: this.#storage, olderThanHours: sessionTtlMs / 3_600_000 }).catch((err: unknown) => {
        this.#logger.warn({ event: "mcp.session.prune_failed", err }, "pruning idle sessions failed");
        return null;
      });
      for (const id of result?.deletedSessions ?? []) {
        this.#ephemeral.delete(id);
        this.#deleted(id);
      }
      if (result?.deletedSessions.length) this.#logger.info({ event: "mcp.session.pruned", sessions: result.deletedSessions.length, bytes: result.reclaimedBytes }, "idle sessions deleted");
    }
  }

  #deleted(sessionId: string): void {
    for (const listener of this.#onDelete) listener(sessionId);
  }
}
