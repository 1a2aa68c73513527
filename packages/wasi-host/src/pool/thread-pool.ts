/**
 * The pool's worker threads, main-thread side: each thread takes one task at a time over
 * its own long-lived port (the Worker's), and answers it on the same port with the task's
 * id. No per-task set-up beyond the message itself: no task object, no async-hooks
 * resource, no AbortSignal listener of the pool's own, no shared-memory wake-up (piscina,
 * which this replaces, spent ~0.5 ms of the main thread's time per run on those).
 *
 * What the host relies on:
 * - A task's promise always settles: with the thread's answer, or — when the thread dies
 *   (a crash, an exit, `terminate`) before answering — with an Error saying so. Task ids
 *   are random (48 bits), and answers whose id is not the thread's current task — or
 *   that are not answers at all — are dropped, so a late or forged answer never settles
 *   another task, and nothing a thread posts can throw on the main thread.
 * - A task goes to another thread, unrun, when its thread dies before it read it (a thread
 *   that dies right after answering still looks idle, and is handed the next task): the
 *   thread counts the requests it reads in a shared word (`ThreadSetup`). A task its
 *   thread had read is never run again: it is rejected with the thread's error; an unread
 *   one that moved objects (`transferList`: they went with the thread) with `TaskUnreadError`.
 * - An answer that cannot be read on the main thread (`messageerror`) rejects its task and
 *   ends the thread (what else it lost is unknown); a thread that dies with no task of its
 *   own to fail (idle, or before reading the task it was handed) reports its error as a
 *   process warning (`LlmWasmSandboxWarning`, code `LLM_SANDBOX_POOL_THREAD_DIED`).
 * - Aborting a task's `signal` terminates its thread at once and rejects the task
 *   (AbortError); the thread is never used again, and a new one is started when needed.
 *   This is how the wall clock stops a guest that never yields.
 * - Idle threads never keep the process alive (unref'd); a thread with a task does.
 * - A thread that dies on its own before it ever answered (its start failed: a broken
 *   build, a preload that throws in threads, no thread to be had) is not replaced to keep
 *   `minThreads` up: threads are then started only for tasks, each failing its task, so
 *   a pool whose threads cannot start never spins starting them while idle.
 * - Tasks beyond `size` wait in a first-in, first-out queue (queueing and aborting a
 *   queued task take constant time; an aborted task leaves the queue when it reaches its
 *   head, and is never posted — even when the abort that ends a running task hands its
 *   thread on); `close` lets queued and running tasks finish, then ends every thread.
 */
import { Worker } from "node:worker_threads";
import type { ThreadReply, ThreadRequest, ThreadSetup } from "./thread-protocol.js";

/** How to start a pool's threads. */
export interface ThreadPoolOptions {
  /** File URL of the thread entry (`pool/thread-entry.js`). */
  readonly entry: string;
  /** File URL of the module whose exports answer tasks (passed to the entry as its argument). */
  readonly handlers: string;
  /** Threads at most (one task each at a time). */
  readonly size: number;
  /** Threads started at once and kept while idle. */
  readonly minThreads: number;
  /** How long an idle thread above `minThreads` lives, in ms. */
  readonly idleTimeoutMs: number;
  readonly execArgv: readonly string[];
  readonly resourceLimits: { readonly stackSizeMb: number };
  /** Given to every thread as its `workerData`. */
  readonly workerData?: unknown;
}

/** How to run one task. */
export interface ThreadTaskOptions {
  /** The handler: the module's export of this name (default `"default"`). */
  readonly name?: string;
  /** Objects moved (not copied) with the task. */
  readonly transferList?: readonly Transferable[];
  /** Aborting it terminates the task's thread and rejects the task. */
  readonly signal?: AbortSignal;
}

/** Threads that run tasks; see the module documentation. */
export interface ThreadPool {
  run<R>(task: unknown, options?: ThreadTaskOptions): Promise<R>;
  /** Lets queued and running tasks finish, then ends every thread. Idempotent. */
  close(): Promise<void>;
}

/** The rejection of an aborted task. */
export class TaskAbortedError extends Error {
  override readonly name = "AbortError";
  constructor() {
    super("the task was aborted: its thread was terminated");
  }
}

/**
 * The rejection of a task its thread never read (the thread died first: nothing of the task
 * ran) that could not be sent again because the objects it moved (`transferList`) went with
 * that thread; the caller may run it again with new ones.
 */
export class TaskUnreadError extends Error {
  constructor(death: Error) {
    super(`the pool thread died before it read the task (nothing of it ran), taking the objects the task moved: ${death.message}`, { cause: death });
  }
}

interface Job {
  readonly id: number;
  readonly name: string;
  readonly task: unknown;
  readonly transferList: readonly Transferable[];
  readonly signal: AbortSignal | null;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Removes the abort listener it had while queued. */
  unqueue: () => void;
}

/** Random words for task ids, drawn 128 at a time (Web Crypto: the pool's entry must not load node:crypto). */
const randomWords = new Uint32Array(128);
let unusedWord = randomWords.length;

/** A task id: 48 random bits, so that no thread can answer a task before it was given it. */
function taskId(): number {
  if (unusedWord + 2 > randomWords.length) {
    globalThis.crypto.getRandomValues(randomWords);
    unusedWord = 0;
  }
  const id = (randomWords[unusedWord]! & 0xffff) * 2 ** 32 + randomWords[unusedWord + 1]!;
  unusedWord += 2;
  return id;
}

interface Thread {
  readonly worker: Worker;
  /** The task it runs, or null when idle. */
  job: Job | null;
  /** Removes the running task's abort listener. */
  unlisten: () => void;
  idleTimer: NodeJS.Timeout | null;
  /** Set once it must take no more tasks (terminated, exited, crashed). */
  gone: boolean;
  /** Set once it answered a task (its start worked): a thread that never did and died on its own is not replaced to keep `minThreads`. */
  served: boolean;
  /** Requests posted to it; its shared word `taken` counts those it read. */
  posted: number;
  readonly taken: Int32Array;
}

/** Starts a pool (and its `minThreads` threads). */
export function createThreadPool(options: ThreadPoolOptions): ThreadPool {
  return new Threads(options);
}

class Threads implements ThreadPool {
  readonly #options: ThreadPoolOptions;
  readonly #threads = new Set<Thread>();
  readonly #queue: Job[] = [];
  #closing = false;
  #closed: Promise<void> | null = null;
  /** Called once nothing is queued or running, while closing. */
  #drained: (() => void) | null = null;

  constructor(options: ThreadPoolOptions) {
    this.#options = options;
    for (let i = 0; i < options.minThreads; i++) this.#start();
  }

  run<R>(task: unknown, taskOptions: ThreadTaskOptions = {}): Promise<R> {
    if (this.#closing) return Promise.reject(new Error("the thread pool is closed"));
    if (taskOptions.signal?.aborted === true) return Promise.reject(new TaskAbortedError());
    const signal = taskOptions.signal ?? null;
    return new Promise<R>((resolve, reject) => {
      const job: Job = {
        id: taskId(),
        name: taskOptions.name ?? "default",
        task,
        transferList: taskOptions.transferList ?? [],
        signal,
        resolve: resolve as (value: unknown) => void,
        reject,
        unqueue: () => {},
      };
      this.#queue.push(job);
      this.#pump();
      // Still queued: pump takes from the head only, so it is the last one.
      if (this.#queue.at(-1) === job) this.#rejectOnAbort(job);
    });
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        this.#pump();
      });
      await Promise.all(
        [...this.#threads].map((t) => {
          this.#retire(t);
          return t.worker.terminate();
        }),
      );
    })();
    return this.#closed;
  }

  #start(): Thread {
    const { entry, handlers, execArgv, resourceLimits, workerData } = this.#options;
    const worker = new Worker(new URL(entry), {
      argv: [handlers],
      execArgv: [...execArgv],
      resourceLimits: { ...resourceLimits },
      ...(workerData === undefined ? {} : { workerData }),
    });
    const taken = new SharedArrayBuffer(4);
    worker.postMessage({ taken } satisfies ThreadSetup);
    const thread: Thread = { worker, job: null, unlisten: () => {}, idleTimer: null, gone: false, served: false, posted: 0, taken: new Int32Array(taken) };
    let failure: Error | null = null;
    worker.on("message", (reply: unknown) => this.#answered(thread, reply));
    worker.on("messageerror", (error) => this.#unreadable(thread, error));
    worker.on("error", (error) => {
      failure = error;
    });
    worker.once("exit", (code) => {
      // Retired already: the pool ended it (an abort, an unreadable answer); otherwise it died on its own.
      const endedByPool = thread.gone;
      this.#retire(thread);
      const job = thread.job;
      thread.job = null;
      thread.unlisten();
      // Only a thread that served counts: one whose start failed would fail the task again and again.
      const unread = job !== null && thread.served && Atomics.load(thread.taken, 0) < thread.posted;
      // Objects the task moved (a port) went with the thread: such a task cannot be sent again.
      const rerun = unread && job.transferList.length === 0;
      const death = failure ?? new Error(`the pool thread exited (code ${code})${job !== null && !unread ? " before it answered" : ""}`);
      if (rerun) {
        if (!endedByPool && !this.#closing) warnDied(death, true);
        this.#requeue(job);
      } else if (unread) {
        job.reject(new TaskUnreadError(death));
      } else if (job !== null) {
        job.reject(death);
      } else if (!endedByPool && !this.#closing) {
        warnDied(death, false);
      }
      // Never for a thread whose start failed: the next one's would too, over and over.
      const replace = (endedByPool || thread.served) && !this.#closing && this.#threads.size < this.#options.minThreads;
      if (replace) this.#idle(this.#start());
      this.#pump();
    });
    worker.unref();
    this.#threads.add(thread);
    return thread;
  }

  /** Takes `thread` out of service (it gets no more tasks); the caller ends it if needed. */
  #retire(thread: Thread): void {
    thread.gone = true;
    if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
    this.#threads.delete(thread);
  }

  /** A message from `thread` that cannot be deserialized: its task (whose answer it may have been) fails, and the thread goes. */
  #unreadable(thread: Thread, error: unknown): void {
    const job = thread.job;
    if (job === null || thread.gone) return;
    thread.job = null;
    thread.unlisten();
    this.#retire(thread);
    void thread.worker.terminate();
    job.reject(new Error(`the pool thread's answer could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    this.#pump();
  }

  /** `job`, posted to a thread that died before reading it, goes first in line again. */
  #requeue(job: Job): void {
    this.#queue.unshift(job);
    this.#pump();
    if (this.#queue[0] === job) this.#rejectOnAbort(job);
  }

  /** While `job` waits in the queue, aborting its signal rejects it (pump then drops it, never posting it). */
  #rejectOnAbort(job: Job): void {
    const signal = job.signal;
    if (signal === null) return;
    const onAbort = (): void => {
      job.reject(new TaskAbortedError());
      this.#pump();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    job.unqueue = () => signal.removeEventListener("abort", onAbort);
  }

  #answered(thread: Thread, message: unknown): void {
    const job = thread.job;
    if (job === null || thread.gone || typeof message !== "object" || message === null) return;
    const reply = message as ThreadReply;
    if (reply.id !== job.id) return;
    thread.served = true;
    thread.job = null;
    thread.unlisten();
    if (reply.ok) job.resolve(reply.value);
    else job.reject(reply.error);
    this.#idle(thread);
    this.#pump();
  }

  /** `thread` waits for work: unref'd, and ended after the idle timeout when above `minThreads`. */
  #idle(thread: Thread): void {
    thread.worker.unref();
    if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    if (this.#threads.size <= this.#options.minThreads) return;
    thread.idleTimer = setTimeout(() => {
      if (thread.job !== null || thread.gone || this.#threads.size <= this.#options.minThreads) return;
      this.#retire(thread);
      void thread.worker.terminate();
    }, this.#options.idleTimeoutMs);
    thread.idleTimer.unref();
  }

  #assign(thread: Thread, job: Job): void {
    if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    thread.job = job;
    thread.worker.ref();
    thread.unlisten = job.signal === null ? () => {} : this.#stopOnAbort(thread, job, job.signal);
    try {
      const request: ThreadRequest = { id: job.id, name: job.name, task: job.task };
      thread.worker.postMessage(request, job.transferList as never);
      thread.posted++;
    } catch (error) {
      // Not cloneable (or a bad transfer list): the task fails, the thread stays.
      thread.job = null;
      thread.unlisten();
      job.reject(error);
      this.#idle(thread);
    }
  }

  /** Aborting `signal` ends `thread` and rejects `job`; returns what removes the listener. */
  #stopOnAbort(thread: Thread, job: Job, signal: AbortSignal): () => void {
    const onAbort = (): void => {
      if (thread.job !== job) return;
      thread.job = null;
      this.#retire(thread);
      void thread.worker.terminate();
      job.reject(new TaskAbortedError());
      this.#pump();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }

  /** Hands queued tasks to free threads, starting threads up to `size`; drops aborted ones (rejected when aborted). */
  #pump(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue[0]!;
      if (job.signal?.aborted === true) {
        this.#queue.shift();
        job.unqueue();
        job.reject(new TaskAbortedError());
        continue;
      }
      const free = this.#freeThread();
      if (free === null) break;
      this.#queue.shift();
      job.unqueue();
      this.#assign(free, job);
    }
    if (this.#drained !== null && this.#queue.length === 0 && [...this.#threads].every((t) => t.job === null)) this.#drained();
  }

  #freeThread(): Thread | null {
    for (const t of this.#threads) if (t.job === null && !t.gone) return t;
    return this.#threads.size < this.#options.size ? this.#start() : null;
  }
}

/**
 * Reports a pool thread that died with no task to fail (idle, or before reading the one it
 * was handed, which runs on another thread): its error would otherwise be lost.
 */
function warnDied(death: Error, handedOn: boolean): void {
  const when = handedOn ? "before reading the task it was given (the task runs on another thread)" : "while idle";
  const warning = new Error(`[llm-wasm-sandbox] a pool thread died ${when}: ${death.message} — a new thread is started when needed; if this repeats, report it with this warning's cause`, { cause: death });
  warning.name = "LlmWasmSandboxWarning";
  process.emitWarning(Object.assign(warning, { code: "LLM_SANDBOX_POOL_THREAD_DIED" }));
}
