/**
 * What the Lua plugin hands its driver in the worker (`RunSpec.driverData`): plain,
 * structured-clonable data, checked at both ends (`parseLuaDriverData`), since it crosses
 * a thread boundary and the two sides may come from different builds.
 */

/** The Lua driver's input. */
export interface LuaDriverData {
  /** Guest path of the user's file, e.g. `/app/user_code.lua`. */
  readonly userPath: string;
  /** Guest path of the state file when `_state` is persisted (guest/state.lua runs), else null. */
  readonly statePath: string | null;
  /** Guest path of the control channel's device, which the bootstrap opens first. */
  readonly controlPath: string;
  /** Script arguments (`...` and `arg[1..n]`). */
  readonly args: readonly string[];
}

/**
 * Checks driver data.
 * @throws TypeError when a field is missing or of the wrong type (a plugin/driver version mismatch).
 */
export function parseLuaDriverData(data: unknown): LuaDriverData {
  if (typeof data !== "object" || data === null) throw new TypeError("Lua driver: driverData must be an object");
  const d = data as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof d[k] !== "string") throw new TypeError(`Lua driver: driverData.${k} must be a string`);
    return d[k];
  };
  const optStr = (k: string): string | null => (d[k] === null || d[k] === undefined ? null : str(k));
  const args = d.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) throw new TypeError("Lua driver: driverData.args must be strings");
  return {
    userPath: str("userPath"),
    statePath: optStr("statePath"),
    controlPath: str("controlPath"),
    args,
  };
}
