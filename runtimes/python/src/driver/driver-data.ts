/**
 * What the engine hands the Python driver in the worker (`RunOptions.driverData`):
 * structured-clonable data, checked on arrival since it crosses a thread boundary.
 */
import type { InitConfig } from "./cpython.js";

/** Build the snapshot: initialize CPython, run the warm-up, hand the image to the host (`ctx.saveSnapshot`). */
export interface SnapshotDriverData {
  readonly mode: "snapshot";
  readonly init: InitConfig;
  /** Python source run after initialization (imports what every run should find loaded). */
  readonly warmup: string;
  /** Bytes of C stack CPython may use (its recursion limit is derived from it); 0 = the build's own. */
  readonly stackBytes: number;
}

/** Initialize CPython and run one script of the sandbox's own (no snapshot), e.g. compiling the standard library. */
export interface ScriptDriverData {
  readonly mode: "script";
  readonly init: InitConfig;
  readonly script: string;
}

/** Restore the host's snapshot (`ctx.snapshot`) into a fresh instance and run one execution. */
export interface RunDriverData {
  readonly mode: "run";
  /**
   * The run's configuration (JSON text, see `BootConfig`), passed to `_llm_sandbox.boot.run`
   * in the restored interpreter, which ends the guest with `os._exit`.
   */
  readonly config: string;
  /** Guest path where the driver creates the control device before the run starts. */
  readonly controlPath: string;
}

/** The Python driver's input. */
export type PythonDriverData = SnapshotDriverData | ScriptDriverData | RunDriverData;

/**
 * Checks driver data received in the worker.
 * @throws TypeError naming the first bad field (an engine/driver version mismatch).
 */
export function parseDriverData(data: unknown): PythonDriverData {
  if (typeof data !== "object" || data === null) throw new TypeError("Python driver: driverData must be an object");
  const d = data as Record<string, unknown>;
  const need = (ok: boolean, field: string): void => {
    if (!ok) throw new TypeError(`Python driver: driverData.${field} is missing or of the wrong type`);
  };
  if (d.mode === "snapshot") {
    need(typeof d.init === "object" && d.init !== null, "init");
    need(typeof d.warmup === "string", "warmup");
    need(typeof d.stackBytes === "number", "stackBytes");
    return d as unknown as SnapshotDriverData;
  }
  if (d.mode === "script") {
    need(typeof d.init === "object" && d.init !== null, "init");
    need(typeof d.script === "string", "script");
    return d as unknown as ScriptDriverData;
  }
  need(d.mode === "run", "mode");
  need(typeof d.config === "string", "config");
  need(typeof d.controlPath === "string", "controlPath");
  return d as unknown as RunDriverData;
}
