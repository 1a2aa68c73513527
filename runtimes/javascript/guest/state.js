// State persistence for JavaScript (`autoPersistGlobals`): the guest's `_state` object is
// written as JSON to a file under the workspace's internal directory at the end of a
// successful execution and loaded back into `_state` at the start of the next one. Only
// QuickJS can see guest values, so the (de)serializer is guest code.
//
// The script's value is `{ load(text), save(value) }`. `load` turns the state file's text
// (or "") into `{ value, problem? }` (an empty object, and a problem, when it is
// unreadable); `save` returns the JSON text of `{ state, skipped: [{ name, reason }] }`:
// values JSON cannot hold (functions, symbols, bigints, Maps, Sets, circular references,
// NaN/Infinity, class instances) are reported, never dropped silently.
// Inlined into the driver at build time (src/driver.ts).
({
  load: function (text) {
    if (typeof text !== "string" || text === "") return { value: {} };
    try {
      var v = JSON.parse(text);
      if (v !== null && typeof v === "object" && !Array.isArray(v)) return { value: v };
      return { value: {}, problem: "the saved _state is not an object" };
    } catch (e) {
      return { value: {}, problem: "the saved _state is not readable JSON: " + String(e && e.message) };
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
        skipped.push({ name: path, reason: String(v) + " is not JSON (saved as null)" });
        return null;
      }
      if (typeof v !== "object") {
        skipped.push({ name: path, reason: "a " + typeof v + " is not JSON" });
        return undefined;
      }
      if (stack.indexOf(v) !== -1) {
        skipped.push({ name: path, reason: "a circular reference" });
        return undefined;
      }
      if (v instanceof Date) return isNaN(v.getTime()) ? null : v.toISOString();
      if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise) {
        var kind = v instanceof Map ? "Map" : v instanceof Set ? "Set" : v instanceof Promise ? "Promise" : "WeakMap/WeakSet";
        skipped.push({ name: path, reason: "a " + kind + " is not JSON (convert it first, e.g. Object.fromEntries(map) or [...set])" });
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
          skipped.push({ name: path, reason: "a " + (v.constructor && v.constructor.name) + " (saved as a plain array)" });
          return Array.prototype.slice.call(v).map(function (n) { return typeof n === "bigint" ? String(n) : n; });
        }
        if (!plainProto(v)) {
          var name = v.constructor && v.constructor.name ? v.constructor.name : "object";
          skipped.push({ name: path, reason: "a " + name + " instance (saved as a plain object, its class is lost)" });
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
      if (value !== undefined) skipped.push({ name: "_state", reason: (Array.isArray(value) ? "an array" : "a " + typeof value) + " (it must be an object; saved as {})" });
      root = {};
    }
    return JSON.stringify({ state: root, skipped: skipped });
  }
})
