/**
 * State persistence for JavaScript: the guest's `_state` object is written as JSON to a
 * file under the workspace's internal directory at the end of a successful execution
 * and loaded back into `_state` at the start of the next execution of the session.
 *
 * Only QuickJS can see guest values, so the (de)serializer is guest source
 * (`STATE_PERSIST_JS`). Values JSON cannot hold (functions, symbols, bigints, Maps,
 * Sets, circular references, NaN/Infinity, class instances) are reported on one stderr
 * line that `extractStateNotes` turns into notes, never dropped silently.
 */
import { INTERNAL_DIR } from "@llm-wasm-sandbox/core";

/** Workspace-relative path of the JavaScript state file (hidden from listings by the umbrella). */
export const STATE_FILE = `${INTERNAL_DIR}/javascript_state.json`;

/** Guest path of the JavaScript state file. */
export const STATE_GUEST_PATH = `/app/${STATE_FILE}`;

/**
 * Prefix of the one stderr line the driver writes when `_state` held values that were
 * not saved as they were; the rest of the line is a JSON array of descriptions.
 */
export const SKIPPED_MARKER = "[llm-sandbox:state-skipped]";

/** What `save` returns inside the guest, as JSON text. */
export interface SavedState {
  /** The JSON-safe copy of `_state`. */
  readonly state: unknown;
  /** One description per value that was dropped or changed (`_state.f: function`). */
  readonly skipped: readonly string[];
}

/**
 * Guest JavaScript: an expression evaluating to `{ load(text), save(value) }`.
 * `load` turns the state file's text (or null) into the initial `_state` (an empty
 * object when there is none or it is unreadable); `save` returns the JSON text of a
 * {@link SavedState}.
 */
export const STATE_PERSIST_JS = String.raw`({
  load: function (text) {
    if (typeof text !== "string" || text === "") return {};
    try {
      var v = JSON.parse(text);
      return v !== null && typeof v === "object" ? v : {};
    } catch (e) {
      return {};
    }
  },
  save: function (value) {
    var skipped = [];
    var stack = [];
    function plainProto(v) {
      var p = Object.getPrototypeOf(v);
      return p === null || p === Object.prototype;
    }
    function walk(v, path) {
      if (v === null || typeof v === "string" || typeof v === "boolean") return v;
      if (typeof v === "number") {
        if (isFinite(v)) return v;
        skipped.push(path + ": " + String(v) + " (saved as null)");
        return null;
      }
      if (typeof v !== "object") {
        skipped.push(path + ": " + typeof v);
        return undefined;
      }
      if (stack.indexOf(v) !== -1) {
        skipped.push(path + ": circular reference");
        return undefined;
      }
      if (v instanceof Date) return isNaN(v.getTime()) ? null : v.toISOString();
      if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise) {
        var kind = v instanceof Map ? "Map" : v instanceof Set ? "Set" : v instanceof Promise ? "Promise" : "WeakMap/WeakSet";
        skipped.push(path + ": " + kind + " (convert it first, e.g. Object.fromEntries(map) or [...set])");
        return undefined;
      }
      stack.push(v);
      try {
        if (Array.isArray(v)) {
          var arr = [];
          for (var i = 0; i < v.length; i++) {
            var x = walk(v[i], path + "[" + i + "]");
            arr.push(x === undefined ? null : x);
          }
          return arr;
        }
        if (ArrayBuffer.isView(v)) {
          skipped.push(path + ": " + (v.constructor && v.constructor.name) + " (saved as a plain array)");
          return Array.prototype.slice.call(v).map(function (n) { return typeof n === "bigint" ? String(n) : n; });
        }
        if (!plainProto(v)) {
          var name = v.constructor && v.constructor.name ? v.constructor.name : "object";
          skipped.push(path + ": " + name + " instance (saved as a plain object, its class is lost)");
        }
        var out = {};
        var keys = Object.keys(v);
        for (var k = 0; k < keys.length; k++) {
          var y = walk(v[keys[k]], path + "." + keys[k]);
          if (y !== undefined) out[keys[k]] = y;
        }
        return out;
      } finally {
        stack.pop();
      }
    }
    var root = value !== null && typeof value === "object" ? walk(value, "_state") : undefined;
    if (root === undefined || Array.isArray(root)) {
      if (value !== undefined) skipped.push("_state: " + (Array.isArray(value) ? "an array" : typeof value) + " (it must be an object; saved as {})");
      root = {};
    }
    return JSON.stringify({ state: root, skipped: skipped });
  }
})`;

/** The stderr line reporting skipped values (empty when nothing was skipped). */
export function skippedLine(skipped: readonly string[]): string {
  return skipped.length === 0 ? "" : `${SKIPPED_MARKER}${JSON.stringify(skipped)}\n`;
}

/**
 * Removes the driver's skipped-values line from stderr and turns it into notes for
 * the caller. Lines that only look similar (printed by the guest) are kept.
 */
export function extractStateNotes(stderr: string): { readonly stderr: string; readonly notes: string[] } {
  if (!stderr.includes(SKIPPED_MARKER)) return { stderr, notes: [] };
  const notes: string[] = [];
  const kept = stderr.split("\n").filter((line) => {
    if (!line.startsWith(SKIPPED_MARKER)) return true;
    try {
      const items: unknown = JSON.parse(line.slice(SKIPPED_MARKER.length));
      if (!Array.isArray(items)) return true;
      if (items.length > 0) notes.push(`Not persisted as-is in _state (not JSON): ${items.map(String).join("; ")}`);
      return false;
    } catch {
      return true;
    }
  });
  return { stderr: kept.join("\n"), notes };
}
