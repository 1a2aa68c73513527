/**
 * State persistence for Python: the globals of one execution that can be serialized
 * are written to a JSON file under the workspace's internal directory and loaded back
 * into the globals of the next execution of the same session.
 *
 * The serialization itself runs inside the guest (only Python can see Python objects),
 * so most exports here produce Python source. The format is plain JSON with a small
 * tagging scheme (`{"__t": "tuple", "v": [...]}`) for the built-in types JSON lacks;
 * `isSerializable` / `filterSerializableGlobals` apply the same rule to decoded values
 * on the host side.
 */
import { INTERNAL_DIR } from "@llm-wasm-sandbox/core";

/** Workspace-relative path of the Python state file (hidden from listings by the umbrella). */
export const STATE_FILE = `${INTERNAL_DIR}/python_state.json`;

/** Guest path of the Python state file. */
export const STATE_GUEST_PATH = `/app/${STATE_FILE}`;

/**
 * Prefix of the one stderr line the save step writes when it had to skip globals;
 * `extractStateNotes` removes that line and turns it into notes.
 */
export const SKIPPED_MARKER = "[llm-sandbox:state-skipped]";

/** Python names the helpers define in the guest's globals (removed again by the bootstrap). */
export const HELPER_NAMES = ["__llm_sandbox_load_state", "__llm_sandbox_save_state"] as const;

/**
 * Python source defining `__llm_sandbox_load_state(path, g)` and
 * `__llm_sandbox_save_state(path, g)`. Everything else is nested inside them so the only
 * names they add to the guest's globals are those two.
 */
export const STATE_HELPERS_PY = String.raw`
def __llm_sandbox_load_state(path, g):
    import json

    def dec(v):
        if isinstance(v, list):
            return [dec(x) for x in v]
        if isinstance(v, dict):
            t = v.get("__t")
            if t is None:
                return {k: dec(x) for k, x in v.items()}
            x = v.get("v")
            if t == "tuple":
                return tuple(dec(i) for i in x)
            if t == "set":
                return set(dec(i) for i in x)
            if t == "frozenset":
                return frozenset(dec(i) for i in x)
            if t == "bytes":
                return bytes.fromhex(x)
            if t == "bytearray":
                return bytearray.fromhex(x)
            if t == "float":
                return float(x)
            if t == "complex":
                return complex(x[0], x[1])
            if t == "dict":
                return {dec(k): dec(i) for k, i in x}
        return v

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as e:
        import sys
        sys.stderr.write(f"[llm-sandbox] saved state could not be read and was ignored: {e}\n")
        return
    for k, v in data.get("globals", {}).items():
        g[k] = dec(v)


def __llm_sandbox_save_state(path, g):
    import json
    import os
    import sys

    scalar = (type(None), bool, int, str)

    def enc(v, depth):
        t = type(v)
        if t in scalar:
            return v
        if t is float:
            return v if v == v and v not in (float("inf"), float("-inf")) else {"__t": "float", "v": repr(v)}
        if depth > 64:
            raise TypeError("nested too deeply (or self-referencing)")
        d = depth + 1
        if t is list:
            return [enc(x, d) for x in v]
        if t is tuple:
            return {"__t": "tuple", "v": [enc(x, d) for x in v]}
        if t is set or t is frozenset:
            return {"__t": t.__name__, "v": [enc(x, d) for x in v]}
        if t is bytes or t is bytearray:
            return {"__t": t.__name__, "v": v.hex()}
        if t is complex:
            return {"__t": "complex", "v": [v.real, v.imag]}
        if t is dict:
            if all(type(k) is str for k in v) and "__t" not in v:
                return {k: enc(x, d) for k, x in v.items()}
            return {"__t": "dict", "v": [[enc(k, d), enc(x, d)] for k, x in v.items()]}
        raise TypeError(t.__name__)

    kept, skipped = {}, []
    for k, v in list(g.items()):
        if k.startswith("_") or type(v).__name__ == "module":
            continue
        try:
            kept[k] = enc(v, 0)
        except (TypeError, ValueError, RecursionError):
            skipped.append(f"{k} ({type(v).__name__})")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"version": 1, "globals": kept}, f)
    if skipped:
        sys.stderr.write("${SKIPPED_MARKER} " + json.dumps(skipped) + "\n")
`;

/** Options shared by the code generators. */
export interface PythonStateOptions {
  /** Guest path of the state file; defaults to `STATE_GUEST_PATH`. */
  readonly path?: string;
}

/** Python statements that load saved state (if any) into the module's globals. */
export function loadStateCode(options: PythonStateOptions = {}): string {
  return `${STATE_HELPERS_PY}\n__llm_sandbox_load_state(${pyString(options.path ?? STATE_GUEST_PATH)}, globals())\n`;
}

/** Python statements that save the module's serializable globals to the state file. */
export function saveStateCode(options: PythonStateOptions = {}): string {
  return `${STATE_HELPERS_PY}\n__llm_sandbox_save_state(${pyString(options.path ?? STATE_GUEST_PATH)}, globals())\n`;
}

/**
 * A self-contained Python program that loads state, runs `code` (compiled under
 * `filename`, so tracebacks and line numbers point at the user's file) and saves state
 * afterwards, also when the code raised or called `sys.exit`.
 */
export function wrapStatefulCode(code: string, options: PythonStateOptions & { readonly filename?: string } = {}): string {
  const path = pyString(options.path ?? STATE_GUEST_PATH);
  const filename = pyString(options.filename ?? "/app/user_code.py");
  return [
    STATE_HELPERS_PY,
    `__llm_sandbox_load_state(${path}, globals())`,
    "try:",
    `    exec(compile(${pyString(code)}, ${filename}, "exec"), globals())`,
    "finally:",
    `    __llm_sandbox_save_state(${path}, globals())`,
    "",
  ].join("\n");
}

/** A value decoded from the state file's JSON. */
export type StateValue = null | boolean | number | string | StateValue[] | { [key: string]: StateValue };

/**
 * True when `value` survives the JSON state format unchanged: null, booleans, finite
 * numbers, strings, and arrays / plain objects of those (no cycles, at most 64 deep).
 */
export function isSerializable(value: unknown): value is StateValue {
  return checkSerializable(value, 0, new Set());
}

/** Splits a globals record into what can be persisted and the names that cannot. */
export function filterSerializableGlobals(globals: Readonly<Record<string, unknown>>): {
  readonly kept: Record<string, StateValue>;
  readonly skipped: string[];
} {
  const kept: Record<string, StateValue> = {};
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(globals)) {
    if (name.startsWith("_")) continue;
    if (isSerializable(value)) kept[name] = value;
    else skipped.push(name);
  }
  return { kept, skipped };
}

/**
 * Removes the save step's skipped-globals line from stderr and describes it as a note,
 * e.g. `Not persisted (not serializable): f (function), conn (Connection)`.
 */
export function extractStateNotes(stderr: string): { readonly stderr: string; readonly notes: string[] } {
  const notes: string[] = [];
  const lines = stderr.split("\n");
  const keptLines = lines.filter((line) => {
    if (!line.startsWith(SKIPPED_MARKER)) return true;
    try {
      const names: unknown = JSON.parse(line.slice(SKIPPED_MARKER.length));
      if (Array.isArray(names) && names.length > 0) {
        notes.push(`Not persisted (not serializable): ${names.map(String).join(", ")}`);
      }
    } catch {
      return true; // not our line after all (the guest printed something similar): keep it
    }
    return false;
  });
  return { stderr: keptLines.join("\n"), notes };
}

function checkSerializable(value: unknown, depth: number, seen: Set<object>): boolean {
  if (value === null || typeof value === "boolean" || typeof value === "string") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth > 64 || seen.has(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  seen.add(value);
  const ok = Object.values(value).every((v) => checkSerializable(v, depth + 1, seen));
  seen.delete(value);
  return ok;
}

/** A Python string literal for `s` (JSON escapes are valid Python escapes). */
function pyString(s: string): string {
  return JSON.stringify(s);
}
