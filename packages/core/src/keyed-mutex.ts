/**
 * An in-process async mutex per key: `run(key, fn)` runs `fn` after every earlier
 * `run` with the same key has settled. Keys are released when idle, so a mutex over
 * many session ids does not grow without bound.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` exclusively for `key`; resolves or rejects with its outcome. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // Only the last waiter may drop the entry; a newer one has replaced it otherwise.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** True while some `run` for `key` is queued or running. */
  isLocked(key: string): boolean {
    return this.#tails.has(key);
  }
}
