/** One execution in flight, as cancel_execution sees it. */
interface Running {
  readonly client: string;
  /** Null until a sessionless run's new session exists. */
  sessionId: string | null;
  readonly controller: AbortController;
}

/** A registered run: tell it its session once known, and unregister it when it ends. */
export interface RunningHandle {
  setSession(sessionId: string): void;
  done(): void;
}

/**
 * The executions in flight, so `cancel_execution` can stop a client's own runs and
 * shutdown can stop all of them. A client can only cancel what it started.
 */
export class RunningExecutions {
  readonly #runs = new Set<Running>();

  /** Registers a run from the moment it is asked for (preparing the runtime included). */
  add(client: string, sessionId: string | null, controller: AbortController): RunningHandle {
    const run: Running = { client, sessionId, controller };
    this.#runs.add(run);
    return {
      setSession: (id) => (run.sessionId = id),
      done: () => this.#runs.delete(run),
    };
  }

  /** Aborts `client`'s runs (in `sessionId` only, when given); returns how many. */
  cancel(client: string, sessionId: string | undefined, reason: string): number {
    let n = 0;
    for (const r of this.#runs) {
      if (r.client !== client || (sessionId !== undefined && r.sessionId !== sessionId) || r.controller.signal.aborted) continue;
      r.controller.abort(new Error(reason));
      n++;
    }
    return n;
  }

  /** Aborts every run (shutdown). */
  cancelAll(reason: string): void {
    for (const r of this.#runs) r.controller.abort(new Error(reason));
  }

  /** True while an execution of `sessionId` is running. */
  busy(sessionId: string): boolean {
    for (const r of this.#runs) if (r.sessionId === sessionId) return true;
    return false;
  }
}
