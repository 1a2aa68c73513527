/**
 * Worker-side driver of the Python runtime: creates the control device the bootstrap
 * opens first, then runs python.wasm as a WASI command (`_start`).
 */
import { defineDriver, ProcExit, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";

/** What the plugin hands the driver. */
export interface PythonDriverData {
  /** Guest path of the control device (also the bootstrap's first argument). */
  readonly controlPath: string;
}

/** Checks driver data. @throws TypeError naming the bad field. */
export function parsePythonDriverData(data: unknown): PythonDriverData {
  const path = (data as { controlPath?: unknown } | null)?.controlPath;
  if (typeof path !== "string") throw new TypeError("Python driver: driverData.controlPath must be a string");
  return { controlPath: path };
}

export default defineDriver({ parse: parsePythonDriverData, run: runPython });

function runPython(ctx: GuestContext, data: PythonDriverData): number {
  ctx.control.mountDevice(ctx.fs, data.controlPath);
  const instance = ctx.instantiate();
  try {
    (instance.exports._start as () => void)();
    return 0;
  } catch (error) {
    if (ProcExit.isInstance(error)) return error.exitCode;
    throw error;
  }
}
