/**
 * Waking a worker thread that waits for work, and the main thread that waits for its
 * answer, through one small SharedArrayBuffer instead of MessagePort events.
 *
 * A MessagePort message wakes its receiver through libuv and the port's event dispatch
 * (per port, per message); an `Atomics.waitAsync` promise on either side resolves without
 * a port event. The payloads still travel as MessagePort messages (structured clone, transfers):
 * the sender posts, then bumps its counter and notifies; the woken side takes the message
 * with `receiveMessageOnPort`, which sees it, because posting enqueues synchronously.
 *
 * Protocol (Int32 slots of the buffer):
 * - `TO_WORKER`: bumped by the main thread once per request it posted; the worker waits
 *   on it with `Atomics.waitAsync` while idle. Nobody ever blocks in `Atomics.wait` here
 *   (and the main thread never does anywhere: host-immunity rule).
 * - `TO_MAIN`: bumped by the worker once per reply it posted.
 *
 * A waiting worker ends when it is terminated (a pending `waitAsync` does not keep it alive).
 */

/** `Atomics.waitAsync` (ES2024; Node ≥ 16), typed here: the project's lib is ES2022. */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> } }).waitAsync;

const TO_WORKER = 0;
const TO_MAIN = 1;
/** Bytes of a wake buffer. */
const WAKE_BYTES = 8;

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
}

/** Worker side: wait until the main thread signals work, and signal replies. */
export class WorkerWake {
  readonly #slots: Int32Array;
  /** Requests taken so far. */
  #seen = 0;

  constructor(buffer: WakeBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  /**
   * Resolves once a request beyond those taken was signalled (taking it), at once when one
   * is already pending. The thread's event loop keeps turning meanwhile, so V8's own tasks
   * (garbage collection steps, finalizers) run while it waits. A blocking `Atomics.wait`
   * wakes a few tens of µs sooner (measured here), but a thread parked in it runs none of
   * those, and the next execution pays for them: with it, pooled hellos measured slower
   * and warm executions no faster.
   */
  async next(): Promise<void> {
    for (;;) {
      const now = Atomics.load(this.#slots, TO_WORKER);
      if (now !== this.#seen) {
        this.#seen = now;
        return;
      }
      const waited = waitAsync(this.#slots, TO_WORKER, now);
      if (waited.async) await waited.value;
    }
  }

  /** A reply was posted on the port: wake the main thread. Call after posting the message. */
  signal(): void {
    Atomics.add(this.#slots, TO_MAIN, 1);
    Atomics.notify(this.#slots, TO_MAIN);
  }
}
