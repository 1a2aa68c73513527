/**
 * Messages between the main thread and a warm session's worker (see entry.ts). One
 * execution at a time: the main thread posts a request and waits for its reply (or
 * terminates the thread at the wall-clock limit).
 */
import type { WorkerOutcome, WorkerTask } from "../pool/task.js";

/** Main thread → session worker: run `task`, continuing the live interpreter or building a new one. */
export interface SessionWorkerRequest {
  readonly kind: "run";
  readonly task: WorkerTask;
  /** True: call the continuation the previous execution's driver kept; false: the session's first (cold) execution. */
  readonly continue: boolean;
}

/** Session worker → main thread. */
export type SessionWorkerReply =
  | {
      readonly kind: "done";
      readonly outcome: WorkerOutcome;
      /** True when the interpreter lives on: the next execution may continue it. */
      readonly kept: boolean;
      /** Why an interpreter whose run ended well was not kept (its filesystem's caps, see `retireReason`). */
      readonly retired?: string;
    }
  | { readonly kind: "failed"; readonly message: string };
