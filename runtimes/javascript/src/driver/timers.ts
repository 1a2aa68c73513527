/**
 * `setTimeout` / `setInterval` / `setImmediate` and their `clear*` on a virtual-time
 * queue the driver's event loop drains. Callbacks fire in (due time, creation order),
 * so the order is the same whether or not the loop also waits in real time; every
 * callback runs on the guest's fuel, and the wall clock bounds any waiting.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import { GuestTypedError, type HostFunctions } from "./host-functions.js";

interface Timer {
  readonly fn: QuickJSHandle;
  readonly args: readonly QuickJSHandle[];
  readonly delay: number;
  due: number;
  seq: number;
  readonly repeat: boolean;
}

const MAX_DELAY = 2_147_483_647;
/**
 * Pending timers at most. The queue lives on the host, outside the memory cap, and
 * picking the next timer scans it, so an unbounded queue would cost host memory and
 * time that fuel does not pay for.
 */
export const MAX_PENDING_TIMERS = 10_000;

/** The timer queue of one run. */
export class TimerQueue {
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;
  private seq = 0;
  private now = 0;
  /** The timer whose callback is running: its handles must outlive a clear* from inside it. */
  private firing: Timer | null = null;

  constructor(private readonly vm: QuickJSContext) {}

  /** Defines the timer globals on `global`. */
  install(host: HostFunctions, global: QuickJSHandle): void {
    const add = (repeat: boolean, minDelay: number) => (fn?: QuickJSHandle, delay?: QuickJSHandle, ...rest: QuickJSHandle[]) => {
      const args = minDelay === 0 && delay !== undefined ? [delay, ...rest] : rest;
      return this.vm.newNumber(this.add(fn, minDelay === 0 ? undefined : delay, args, repeat, minDelay));
    };
    host.define(global, "setTimeout", add(false, 1));
    host.define(global, "setInterval", add(true, 1));
    host.define(global, "setImmediate", add(false, 0));
    const clear = (id?: QuickJSHandle) => {
      if (id !== undefined && this.vm.typeof(id) === "number") this.remove(this.vm.getNumber(id));
      return undefined;
    };
    host.define(global, ["clearTimeout", "clearInterval", "clearImmediate"], clear);
  }

  /**
   * Where the queue's virtual clock stands: the due time of the last timer fired (0 before
   * any). A warm session's queue keeps it from one execution to the next.
   */
  get clock(): number {
    return this.now;
  }

  /** Due time (virtual ms since the start) of the next timer, or -1 when none is left. */
  nextDue(): number {
    return this.earliest()?.[1].due ?? -1;
  }

  /** Drops every pending timer, none of them firing (what is left when a program ended on an uncaught error). */
  clear(): void {
    for (const t of this.timers.values()) this.release(t);
    this.timers.clear();
  }

  /** Fires the earliest timer; returns the guest exception its callback threw, if any. */
  fireNext(): QuickJSHandle | null {
    const next = this.earliest();
    if (next === undefined) return null;
    const [id, t] = next;
    this.now = t.due;
    if (t.repeat) {
      t.due = this.now + t.delay;
      t.seq = this.seq++;
    } else this.timers.delete(id);
    this.firing = t;
    const r = this.vm.callFunction(t.fn, this.vm.undefined, ...t.args);
    this.firing = null;
    if (!this.timers.has(id)) this.release(t);
    if (r.error) return r.error;
    r.value.dispose();
    return null;
  }

  private add(fn: QuickJSHandle | undefined, delay: QuickJSHandle | undefined, args: readonly QuickJSHandle[], repeat: boolean, minDelay: number): number {
    const { vm } = this;
    if (fn === undefined || vm.typeof(fn) !== "function") {
      throw new GuestTypedError("TypeError", 'The "callback" argument must be of type function');
    }
    if (this.timers.size >= MAX_PENDING_TIMERS) {
      throw new GuestTypedError("RangeError", `too many pending timers (${MAX_PENDING_TIMERS}); clear the ones you no longer need`);
    }
    let d = delay === undefined ? minDelay : Number(vm.dump(delay));
    if (!(d >= minDelay) || d > MAX_DELAY) d = minDelay;
    const id = this.nextId++;
    this.timers.set(id, { fn: fn.dup(), args: args.map((a) => a.dup()), delay: d, due: this.now + d, seq: this.seq++, repeat });
    return id;
  }

  private remove(id: number): void {
    const t = this.timers.get(id);
    if (t === undefined) return;
    this.timers.delete(id);
    // Freeing the last reference to a function while it runs would be a use-after-free
    // inside QuickJS; fireNext releases it once the callback has returned.
    if (t !== this.firing) this.release(t);
  }

  private release(t: Timer): void {
    if (t.fn.alive) t.fn.dispose();
    for (const a of t.args) if (a.alive) a.dispose();
  }

  private earliest(): [number, Timer] | undefined {
    let best: [number, Timer] | undefined;
    for (const entry of this.timers) {
      const t = entry[1];
      if (best === undefined || t.due < best[1].due || (t.due === best[1].due && t.seq < best[1].seq)) best = entry;
    }
    return best;
  }
}
