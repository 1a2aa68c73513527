/**
 * Messages between the main thread and a warm session's worker (see entry.ts). One
 * execution at a time: the main thread posts a request and waits for its reply (or
 * terminates the thread at the wall-clock limit).
 */
import type { MessagePort } from "node:worker_threads";
import type { WorkerOutcome, WorkerTask } from "../pool/task.js";
import type { WakeBuffer } from "../pool/thread-wake.js";

/**
 * The session worker's `workerData`: the port requests and replies travel on (neither
 * side listens on it: each takes messages with `receiveMessageOnPort` once woken), the
 * wake buffer that signals them (see `pool/thread-wake.ts`), and the port of the thread's
 * channel (lazy reads and host calls of every execution: tasks carry no port of their own).
 */
export interface SessionWorkerData {
  readonly port: MessagePort;
  readonly wake: WakeBuffer;
  readonly channel: MessagePort;
}

/**
 * What an execution that continues the live interpreter brings: only what changes from
 * one execution to the next. Everything else (module, image, snapshot, mounts, argv,
 * env, tools) is what the interpreter was built with — the main thread continues it only
 * when those are unchanged — and is not sent again.
 */
export type ContinueTask = Pick<WorkerTask, "driverData" | "entries" | "seedFiles" | "limits" | "port" | "flags" | "stdout" | "stderr">;

/** Main thread → session worker: the session's first (cold) execution, or one that continues the live interpreter. */
export type SessionWorkerRequest =
  | { readonly kind: "run"; readonly task: WorkerTask }
  /** Call the continuation the previous execution's driver kept. */
  | { readonly kind: "continue"; readonly task: ContinueTask };

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
