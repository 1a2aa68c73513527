/**
 * Guest-side source of the prelude: the globals every run gets (console, timers, the
 * file helpers, requireVendor, deterministic Math.random), built over a `host` object
 * of host functions that never becomes a global itself.
 *
 * The source is a function expression `(host, options) => hooks`. `hooks` are what the
 * driver calls afterwards (timers, error formatting, `_state`); they stay private to the
 * driver because the prelude's return value is never stored in the guest.
 *
 * `host` provides: `write(fd, text)`, `readText(path)`, `writeText(path, text)`,
 * `exists(path)`, `list(dir, recursive)` (a JSON array), `copy(src, dst)`,
 * `remove(path)`, `vendor(name)` (a module namespace), and `env` (the policy's variables).
 * `options.inspectSource` is INSPECT_SOURCE: compiled only when something other than
 * plain strings and numbers is printed, since parsing it is most of a hello world's cost.
 */
export const PRELUDE_SOURCE = String.raw`(function (host, options) {
  "use strict";
  var fmtCache = null;
  var fmt = {
    load: function () { return fmtCache || (fmtCache = (0, eval)(options.inspectSource)()); },
    format: function (args) {
      var simple = true;
      for (var i = 0; i < args.length; i++) {
        var t = typeof args[i];
        if (t === "string" ? i === 0 && args.length > 1 && args[i].indexOf("%") !== -1 : t !== "number" && t !== "boolean") { simple = false; break; }
      }
      if (simple) return args.map(function (a) { return typeof a === "number" && Object.is(a, -0) ? "-0" : String(a); }).join(" ");
      return fmt.load().format(args);
    },
    inspect: function (v) { return fmt.load().inspect(v); },
    errorText: function (e) { return fmt.load().errorText(e); },
  };
  var g = globalThis;

  function define(name, value) {
    Object.defineProperty(g, name, { value: value, writable: true, configurable: true, enumerable: false });
  }

  // --- console -------------------------------------------------------------
  var groupIndent = "";
  var counts = new Map();
  var timersByLabel = new Map();
  function out(fd, args) {
    var text = fmt.format(args);
    if (groupIndent) text = groupIndent + text.split("\n").join("\n" + groupIndent);
    host.write(fd, text + "\n");
  }
  var console = {
    log: function () { out(1, Array.prototype.slice.call(arguments)); },
    info: function () { out(1, Array.prototype.slice.call(arguments)); },
    debug: function () { out(1, Array.prototype.slice.call(arguments)); },
    warn: function () { out(2, Array.prototype.slice.call(arguments)); },
    error: function () { out(2, Array.prototype.slice.call(arguments)); },
    trace: function () {
      var stack = new Error().stack || "";
      out(2, ["Trace: " + fmt.format(Array.prototype.slice.call(arguments)) + "\n" + stack.split("\n").slice(1).join("\n").replace(/\n$/, "")]);
    },
    dir: function (v) { out(1, [fmt.inspect(v)]); },
    table: function (v) { out(1, [v]); },
    assert: function (cond) {
      if (cond) return;
      var rest = Array.prototype.slice.call(arguments, 1);
      out(2, rest.length ? ["Assertion failed:"].concat(rest) : ["Assertion failed"]);
    },
    count: function (label) {
      var k = label === undefined ? "default" : String(label);
      var n = (counts.get(k) || 0) + 1;
      counts.set(k, n);
      out(1, [k + ": " + n]);
    },
    countReset: function (label) { counts.delete(label === undefined ? "default" : String(label)); },
    time: function (label) { timersByLabel.set(label === undefined ? "default" : String(label), performance.now()); },
    timeLog: function (label) { reportTime(label, false); },
    timeEnd: function (label) { reportTime(label, true); },
    group: function () {
      if (arguments.length) out(1, Array.prototype.slice.call(arguments));
      groupIndent += "  ";
    },
    groupEnd: function () { groupIndent = groupIndent.slice(2); },
  };
  console.groupCollapsed = console.group;
  function reportTime(label, end) {
    var k = label === undefined ? "default" : String(label);
    var start = timersByLabel.get(k);
    if (start === undefined) { out(2, ["Warning: No such label '" + k + "' for console.time" + (end ? "End()" : "Log()")]); return; }
    if (end) timersByLabel.delete(k);
    out(1, [k + ": " + (performance.now() - start).toFixed(3) + "ms"]);
  }
  define("console", console);

  // --- timers: a virtual-time queue the driver's event loop drains ------------
  var timers = new Map();
  var nextId = 1;
  var seq = 0;
  var now = 0;
  function addTimer(fn, delay, args, repeat, minDelay) {
    if (typeof fn !== "function") throw new TypeError("The \"callback\" argument must be of type function. Received " + fmt.inspect(fn));
    var d = Number(delay);
    if (!(d >= minDelay) || d > 2147483647) d = minDelay;
    var id = nextId++;
    timers.set(id, { fn: fn, args: args, delay: d, due: now + d, seq: seq++, repeat: repeat });
    return id;
  }
  function clear(id) { timers.delete(typeof id === "number" ? id : Number(id)); }
  define("setTimeout", function (fn, delay) { return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), false, 1); });
  define("setInterval", function (fn, delay) { return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), true, 1); });
  define("setImmediate", function (fn) { return addTimer(fn, 0, Array.prototype.slice.call(arguments, 1), false, 0); });
  define("clearTimeout", clear);
  define("clearInterval", clear);
  define("clearImmediate", clear);
  function earliest() {
    var best = null;
    timers.forEach(function (t, id) {
      if (best === null || t.due < best.t.due || (t.due === best.t.due && t.seq < best.t.seq)) best = { id: id, t: t };
    });
    return best;
  }

  // --- files (the host resolves paths inside the sandbox's virtual tree) ------
  function path(p, what) {
    if (typeof p !== "string" || p === "") throw new TypeError(what + ": the path must be a non-empty string, e.g. \"/app/data.txt\"");
    return p;
  }
  define("readText", function readText(p) { return host.readText(path(p, "readText")); });
  define("writeText", function writeText(p, text) { host.writeText(path(p, "writeText"), String(text)); });
  define("readJson", function readJson(p) {
    var text = host.readText(path(p, "readJson"));
    try { return JSON.parse(text); } catch (e) { throw new SyntaxError("readJson: " + p + " is not valid JSON (" + e.message + ")"); }
  });
  define("writeJson", function writeJson(p, value, indent) {
    var text = JSON.stringify(value, null, indent === undefined ? 2 : indent);
    if (text === undefined) throw new TypeError("writeJson: the value cannot be represented as JSON (" + typeof value + ")");
    host.writeText(path(p, "writeJson"), text);
  });
  define("fileExists", function fileExists(p) { return host.exists(path(p, "fileExists")); });
  define("listFiles", function listFiles(dir, opts) {
    var d = dir === undefined ? "/app" : path(dir, "listFiles");
    return JSON.parse(host.list(d, !!(opts && opts.recursive)));
  });
  define("copyFile", function copyFile(src, dst) { host.copy(path(src, "copyFile"), path(dst, "copyFile")); });
  define("removeFile", function removeFile(p) { host.remove(path(p, "removeFile")); });

  // --- the policy's environment variables (and nothing else of the host) ---------
  define("env", Object.freeze(host.env));

  // --- vendored utilities under /data_js ---------------------------------------
  var vendorCache = new Map();
  define("requireVendor", function requireVendor(name) {
    if (typeof name !== "string" || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || name.indexOf("..") !== -1) {
      throw new TypeError("requireVendor: expected a vendored utility name such as \"csv\"");
    }
    var key = name.replace(/\.m?js$/, "");
    if (!vendorCache.has(key)) vendorCache.set(key, host.vendor(key));
    return vendorCache.get(key);
  });

  // --- determinism ------------------------------------------------------------
  if (options.deterministic) {
    var s = options.seed >>> 0;
    // mulberry32: tiny, well-distributed, and the same sequence for the same seed.
    Math.random = function random() {
      s = (s + 0x6d2b79f5) >>> 0;
      var t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  var persist = options.persistSource ? (0, eval)(options.persistSource) : null;

  return {
    formatError: function (e) {
      if (e instanceof Error) return fmt.errorText(e);
      return "Uncaught " + fmt.inspect(e);
    },
    nextTimer: function () {
      var b = earliest();
      return b === null ? -1 : b.t.due;
    },
    fireTimer: function () {
      var b = earliest();
      if (b === null) return;
      now = b.t.due;
      if (b.t.repeat) { b.t.due = now + b.t.delay; b.t.seq = seq++; } else timers.delete(b.id);
      b.t.fn.apply(undefined, b.t.args);
    },
    isPromise: function (v) { return v instanceof Promise; },
    loadState: function (text) { define("_state", persist.load(text)); },
    saveState: function () { return persist.save(g._state); },
  };
})`;
