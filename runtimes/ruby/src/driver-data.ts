/**
 * What the Ruby plugin hands its driver (`RunSpec.driverData`, and the snapshot run's):
 * plain data, checked at both ends by `parseRubyDriverData`.
 */
import type { RunParameters } from "./bootstrap.js";

/** The run's parameters as the plugin knows them; the driver adds the environment (`ctx.env`) and the tool manifest (`ctx.control.tools`). */
export type RunRequest = Omit<RunParameters, "env" | "tools">;

/** The Ruby driver's input. */
export type RubyDriverData =
  | {
      /** Boot the VM, evaluate the sandbox's guest files and save the snapshot every run starts from. */
      readonly mode: "snapshot";
    }
  | {
      /** Restore the snapshot into a fresh instance and run the user's file. */
      readonly mode: "run";
      /** The run's parameters, handed to guest/runtime.rb's `LLMSandboxRuntime.start` with the run's env. */
      readonly run: RunRequest;
    };

/**
 * Checks driver data.
 * @throws TypeError naming the bad field (a plugin/driver version mismatch).
 */
export function parseRubyDriverData(data: unknown): RubyDriverData {
  if (typeof data !== "object" || data === null) throw new TypeError("Ruby driver: driverData must be an object");
  const d = data as Record<string, unknown>;
  if (d.mode === "snapshot") return { mode: "snapshot" };
  if (d.mode === "run") return { mode: "run", run: parseRunParameters(d.run) };
  throw new TypeError('Ruby driver: driverData.mode must be "snapshot" or "run"');
}

function parseRunParameters(value: unknown): RunRequest {
  if (typeof value !== "object" || value === null) throw new TypeError("Ruby driver: driverData.run must be an object");
  const r = value as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof r[k] !== "string") throw new TypeError(`Ruby driver: driverData.run.${k} must be a string`);
    return r[k];
  };
  if (!Array.isArray(r.argv) || !r.argv.every((a) => typeof a === "string")) throw new TypeError("Ruby driver: driverData.run.argv must be strings");
  if (r.statePath !== null && typeof r.statePath !== "string") throw new TypeError("Ruby driver: driverData.run.statePath must be a string or null");
  return { path: str("path"), argv: [...(r.argv as string[])], statePath: r.statePath, controlPath: str("controlPath") };
}
