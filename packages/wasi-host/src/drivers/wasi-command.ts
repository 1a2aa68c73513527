/**
 * The default driver: a WASI preview1 command. Instantiates the metered module with the
 * run's imports, calls `_start`, and maps `proc_exit` to its exit code.
 */
import { requireImage } from "../require-image.js";
import { ProcExit, type GuestDriver } from "../types.js";

const wasiCommand: GuestDriver = (ctx) => {
  const instance = ctx.instantiate();
  const start = instance.exports._start;
  if (typeof start !== "function") {
    throw new TypeError(`${requireImage(ctx).image.name} exports no _start function — it is not a WASI command; pass a driver for it`);
  }
  try {
    (start as () => void)();
    return 0;
  } catch (error) {
    if (ProcExit.isInstance(error)) return error.exitCode;
    throw error;
  }
};

export default wasiCommand;
