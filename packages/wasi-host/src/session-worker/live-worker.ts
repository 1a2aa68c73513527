/**
 * Main-thread side of one warm session's worker thread: runs executions on it through
 * the same dispatch as pooled runs (lazy reads, host calls, streamed output, the wall
 * clock, the caller's AbortSignal), so a warm execution is enforced exactly like a cold
 * one. Stopping a run terminates the thread, and the live interpreter with it.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { RawRun } from "@llm-wasm-sandbox/core";
import { allocateRunBuffers, dispatchRun, type RunBuffers } from "../pool/dispatch.js";
import { resetSharedOutput } from "../pool/shared-output.js";
import type { WorkerOutcome, WorkerTask } from "../pool/task.js";
import { WORKER_STACK_MB, workerExecArgv } from "../pool/worker-pool.js";
import { PACKAGE_NAME, resolveBuiltFile, THREAD_DIR } from "../resolve-built-file.js";
import type { RunOptions } from "../types.js";
import { createWakeBuffer, MainWake } from "../pool/thread-wake.js";
import type { ContinueTask, SessionWorkerData, SessionWorkerReply, SessionWorkerRequest } from "./protocol.js";

/** One execution on a live worker. */
export interface LiveRun {
  readonly raw: RawRun;
  /** True when the interpreter lives on for the next execution. */
  readonly kept: boolean;
  /** Why a run that ended well did not keep its interpreter, if the worker said. */
  readonly retired: string | null;
}

let entryUrl: string | null = null;

/** A warm session's thread (see module doc). */
export class LiveWorker {
  readonly #worker: Worker;
  /** Requests and replies (see `SessionWorkerData`); nobody listens on it, messages are taken once signalled. */
  readonly #port: MessagePort;
  readonly #wake: MainWake;
  /** The thread's channel (lazy reads, host calls): served by each execution's dispatch in turn, never re-created. */
  readonly #channel: MessagePort;
  #alive = true;
  #busy = false;
  /** True once the first execution ran (later ones continue its interpreter). */
  #started = false;
  #exited: Promise<void>;
  /** Settles (never resolves) when the thread ends: what a pending reply is raced against. */
  readonly #ended: Promise<never>;
  /**
   * The shared memory of the last execution, reused by the next (zeroed) when its output
   * caps are the same: one thread runs one execution at a time, and a thread that was
   * stopped mid-run is never used again.
   */
  #buffers: RunBuffers | null = null;

  constructor() {
    entryUrl ??= resolveBuiltFile(import.meta.url, `${THREAD_DIR}/session-worker.js`, PACKAGE_NAME);
    const { port1, port2 } = new MessageChannel();
    const channel = new MessageChannel();
    const wake = createWakeBuffer();
    this.#port = port1;
    this.#channel = channel.port1;
    this.#wake = new MainWake(wake);
    this.#worker = new Worker(new URL(entryUrl), {
      execArgv: workerExecArgv(process.execArgv),
      // As the pool's threads: room for deep C recursion in the guest.
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
      workerData: { port: port2, wake, channel: channel.port2 } satisfies SessionWorkerData,
      transferList: [port2, channel.port2],
    });
    let failure: Error | null = null;
    this.#worker.once("error", (error) => {
      failure = error;
    });
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
    this.#ended = this.#exited.then(() => {
      throw failure ?? new Error("the session worker exited");
    });
    // Raced against every reply; never unhandled when no execution waits.
    this.#ended.catch(() => {});
    this.#worker.once("exit", () => {
      this.#alive = false;
      this.#port.close();
      this.#channel.close();
    });
    // An idle live session never keeps the process alive.
    this.#worker.unref();
  }

  /** False once the thread ended (terminated, or crashed). */
  get alive(): boolean {
    return this.#alive;
  }

  /** True while an execution runs. */
  get busy(): boolean {
    return this.#busy;
  }

  /**
   * Runs one execution: the session's first on a new worker, or a continuation of the
   * interpreter the previous one kept. The thread is terminated when the run is stopped
   * (timeout, cancel), trapped, or not kept.
   */
  async run(options: RunOptions): Promise<LiveRun> {
    if (!this.#alive || this.#busy) throw new Error("this live worker cannot take another execution");
    this.#busy = true;
    const continuing = this.#started;
    this.#started = true;
    let kept = false;
    let retired: string | null = null;
    this.#worker.ref();
    try {
      const onDone = (k: boolean, r: string | null): void => {
        kept = k;
        retired = r;
      };
      const { raw } = await dispatchRun({ run: (task, opts) => this.#post(task, continuing, opts ?? {}, onDone) }, options, false, this.#buffersFor(options.limits), this.#channel);
      return { raw, kept: kept && this.#alive, retired };
    } finally {
      this.#busy = false;
      if (this.#alive) this.#worker.unref();
      if (!kept) await this.terminate();
    }
  }

  /** Ends the thread and the interpreter in it. Idempotent. */
  async terminate(): Promise<void> {
    if (this.#alive) {
      this.#alive = false;
      await this.#worker.terminate();
    }
    await this.#exited;
  }

  #buffersFor(limits: RunOptions["limits"]): RunBuffers {
    const previous = this.#buffers;
    if (previous !== null && resetSharedOutput(previous.stdout, limits.stdoutMaxBytes) && resetSharedOutput(previous.stderr, limits.stderrMaxBytes)) {
      new Int32Array(previous.flags).fill(0);
      return previous;
    }
    this.#buffers = allocateRunBuffers(limits);
    return this.#buffers;
  }

  async #post(task: WorkerTask, continuing: boolean, options: { transferList?: unknown; signal?: unknown }, onDone: (kept: boolean, retired: string | null) => void): Promise<WorkerOutcome> {
    const signal = options.signal instanceof AbortSignal ? options.signal : null;
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        // The wall clock or the caller: the thread (and the interpreter) end here.
        void this.terminate();
        reject(new Error("aborted"));
      };
    });
    if (signal?.aborted === true) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const request: SessionWorkerRequest = continuing ? { kind: "continue", task: continueTask(task) } : { kind: "run", task };
      this.#port.postMessage(request, (Array.isArray(options.transferList) ? options.transferList : []) as never);
      this.#wake.signal();
      await Promise.race([this.#wake.reply(), this.#ended, aborted]);
      const reply = receiveMessageOnPort(this.#port)?.message as SessionWorkerReply | undefined;
      if (reply === undefined) throw new Error("the session worker signalled a reply it did not post");
      if (reply.kind === "failed") throw new Error(reply.message);
      onDone(reply.kept, reply.retired ?? null);
      return reply.outcome;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

/** What a continuing execution sends (see `ContinueTask`): not the module, image, snapshot or mounts again. */
function continueTask(task: WorkerTask): ContinueTask {
  const { driverData, entries, seedFiles, limits, port, flags, stdout, stderr } = task;
  return { driverData, entries, seedFiles, limits, port, flags, stdout, stderr };
}
