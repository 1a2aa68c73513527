/**
 * Defining host functions on guest objects, and the error discipline they share:
 * failures the guest should see (a missing file, a read-only path, a bad argument)
 * become guest exceptions; anything else (a fuel trap or a host stack overflow
 * unwinding through the call) is reported to the driver and rethrown, so the run ends
 * with its real cause instead of quickjs-emscripten turning it into a guest exception.
 */
import type { QuickJSContext, QuickJSHandle, VmCallResult } from "quickjs-emscripten-core";
import { GuestFileError } from "./guest-files.js";
import { ModuleResolutionError } from "./module-resolution.js";
import makeErrorJs from "../../guest/make-error.js?raw";

/** A host function body: borrowed argument handles in, an owned handle (or nothing) out. */
export type HostImpl = (...args: QuickJSHandle[]) => QuickJSHandle | undefined;

/** An exception to raise in the guest as-is (an owned handle). */
export class GuestThrow extends Error {
  constructor(readonly handle: QuickJSHandle) {
    super("guest exception");
  }
}

/** A TypeError/RangeError/… to raise in the guest, built lazily by the guest's own constructors. */
export class GuestTypedError extends Error {
  constructor(
    readonly errorName: "TypeError" | "RangeError" | "SyntaxError" | "Error",
    message: string,
  ) {
    super(message);
  }
}

/**
 * How deeply host functions may nest (a `toJSON` calling `writeJson` calling `toJSON` …).
 * Each level costs far more native stack than QuickJS's own limit accounts for, so past
 * this depth the guest gets a catchable RangeError instead of V8's stack running out.
 */
export const MAX_HOST_NESTING = 64;

/** Defines host functions on guest objects for one context. */
export class HostFunctions {
  private makeError: QuickJSHandle | null = null;
  private depth = 0;

  constructor(
    private readonly vm: QuickJSContext,
    private readonly onFatal: (error: unknown) => void,
  ) {}

  /**
   * Sets `target[name]` to a host function (a plain writable property, so guests may
   * redefine it); several names share one function object (`console.log` / `info`).
   */
  define(target: QuickJSHandle, names: string | readonly string[], impl: HostImpl): void {
    const { vm } = this;
    const all = typeof names === "string" ? [names] : names;
    const fn = vm.newFunction(all[0]!, (...args: QuickJSHandle[]): QuickJSHandle | VmCallResult<QuickJSHandle> | undefined => {
      try {
        if (++this.depth > MAX_HOST_NESTING) throw new GuestTypedError("RangeError", "Maximum call stack size exceeded (sandbox helpers nested too deeply)");
        return impl(...args);
      } catch (e) {
        const guest = this.toGuest(e);
        if (guest !== null) return { error: guest };
        this.onFatal(e);
        throw e;
      } finally {
        this.depth--;
      }
    });
    for (const name of all) vm.setProp(target, name, fn);
    fn.dispose();
  }

  /** The guest exception for a host error, or null when it must end the run. */
  private toGuest(e: unknown): QuickJSHandle | null {
    const { vm } = this;
    if (e instanceof GuestThrow) return e.handle;
    if (e instanceof GuestTypedError) {
      this.makeError ??= vm.unwrapResult(vm.evalCode(makeErrorJs, "<sandbox>"));
      const args = [vm.newString(e.errorName), vm.newString(e.message)];
      const r = vm.callFunction(this.makeError, vm.undefined, ...args);
      args.forEach((a) => a.dispose());
      return r.error ?? r.value;
    }
    if (e instanceof GuestFileError || e instanceof ModuleResolutionError) {
      const err = vm.newError({ name: e.name, message: e.message });
      if (e instanceof GuestFileError) {
        for (const [k, v] of [["code", e.code], ["syscall", e.syscall], ["path", e.path]] as const) {
          vm.newString(v).consume((h) => vm.setProp(err, k, h));
        }
      }
      return err;
    }
    return null;
  }
}
