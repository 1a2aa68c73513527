/**
 * Waking a worker thread that waits for work, and the main thread that waits for its
 * answer, through one small SharedArrayBuffer instead of MessagePort events.
 *
 * A MessagePort message wakes its receiver through libuv (an async handle, then the
 * port's event dispatch); a worker blocked in `Atomics.wait` is woken by the futex
 * directly, and the main thread's `Atomics.waitAsync` promise resolves without a port
 * event. The payloads still travel as MessagePort messages (structured clone, transfers):
 * the sender posts, then bumps its counter and notifies; the woken side takes the message
 * with `receiveMessageOnPort`, which sees it, because posting enqueues synchronously.
 *
 * Protocol (Int32 slots of the buffer):
 * - `TO_WORKER`: bumped by the main thread once per request it posted. The worker blocks
 *   in `Atomics.wait` on it while idle — never the main thread (host-immunity rule: the
 *   main thread only ever waits with `Atomics.waitAsync`).
 * - `TO_MAIN`: bumped by the worker once per reply it posted.
 * - `CLOSING`: set to 1 by the main thread to let a waiting worker leave its loop (a
 *   terminated worker is woken by the termination itself).
 */

/** `Atomics.waitAsync` (ES2024; Node ≥ 16), typed here: the project's lib is ES2022. */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> } }).waitAsync;

const TO_WORKER = 0;
const TO_MAIN = 1;
const CLOSING = 2;
/** Bytes of a wake buffer. */
const WAKE_BYTES = 16;

/** A wake buffer, shared by one main-thread owner and one worker thread. */
export type WakeBuffer = SharedArrayBuffer & { readonly __wake?: never };

/** A new wake buffer, to hand to one worker (e.g. in its `workerData`). */
export function createWakeBuffer(): WakeBuffer {
  return new SharedArrayBuffer(WAKE_BYTES) as WakeBuffer;
}

/** Main-thread side: tell the worker about a request, wait (asynchronously) for replies. */
export class MainWake {
  readonly #slots: Int32Array;
  /** Replies taken so far (the worker's TO_MAIN count the last wait ended at). */
  #seen = 0;

  constructor(buffer: WakeBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  /** The worker has a new request on its port: wake it. Call after posting the message. */
  signal(): void {
    Atomics.add(this.#slots, TO_WORKER, 1);
    Atomics.notify(this.#slots, TO_WORKER);
  }

  /**
   * Resolves once the worker has signalled a reply beyond those already taken (at once
   * when it already has). Never blocks the thread. The promise alone does not keep the
   * process alive, nor settle if the worker dies: race it against the worker's exit.
   */
  reply(): Promise<void> {
    const seen = this.#seen;
    const done = (): void => {
      this.#seen = Atomics.load(this.#slots, TO_MAIN);
    };
    if (Atomics.load(this.#slots, TO_MAIN) !== seen) {
      done();
      return Promise.resolve();
    }
    const waited = waitAsync(this.#slots, TO_MAIN, seen);
    if (!waited.async) {
      done();
      return Promise.resolve();
    }
    return waited.value.then(done);
  }

  /** Lets a waiting worker leave its loop (`waitForWork` returns "closing"). */
  close(): void {
    Atomics.store(this.#slots, CLOSING, 1);
    Atomics.notify(this.#slots, TO_WORKER);
  }
}

/** What ended a worker's wait. */
export type WakeReason = "work" | "closing" | "timed-out";

/** Worker side: block until the main thread signals work, and signal replies. */
export class WorkerWake {
  readonly #slots: Int32Array;
  /** Requests taken so far. */
  #seen = 0;

  constructor(buffer: WakeBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  /**
   * Blocks this (worker) thread until a request beyond those taken was signalled, the
   * main thread closes the buffer, or `timeoutMs` passed. Returns at once when a request
   * is already pending. Never call it on the main thread.
   */
  wait(timeoutMs = Infinity): WakeReason {
    for (;;) {
      if (Atomics.load(this.#slots, CLOSING) === 1) return "closing";
      const now = Atomics.load(this.#slots, TO_WORKER);
      if (now !== this.#seen) {
        this.#seen = now;
        return "work";
      }
      if (Atomics.wait(this.#slots, TO_WORKER, now, timeoutMs) === "timed-out") return "timed-out";
    }
  }

  /** True when a request is pending (signalled and not yet taken by `wait`). */
  pending(): boolean {
    return Atomics.load(this.#slots, TO_WORKER) !== this.#seen || Atomics.load(this.#slots, CLOSING) === 1;
  }

  /** A reply was posted on the port: wake the main thread. Call after posting the message. */
  signal(): void {
    Atomics.add(this.#slots, TO_MAIN, 1);
    Atomics.notify(this.#slots, TO_MAIN);
  }
}
