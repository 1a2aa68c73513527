// `inspect`, the value formatter behind `console.log`, evaluated inside QuickJS (so its
// work is metered like the user's) the first time a run formats something other than a
// string, number or boolean. It follows Node's `util.inspect` layout closely enough that
// LLM-written code reads the output it expects.
//
// The script's value is a function taking no arguments and returning
// `{ inspect, format, errorText, table, logLine, thrownText }`; the driver
// (src/driver/guest-format.ts, which inlines this file at build time) calls it once per run.
(function () {
  "use strict";
  var MAX_DEPTH = 2;
  var MAX_ITEMS = 100;
  var MAX_STRING = 10000;
  var objToString = Object.prototype.toString;
  var IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  function quote(s) {
    var q = s.indexOf("'") === -1 ? "'" : s.indexOf('"') === -1 ? '"' : "'";
    var body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r");
    if (q === "'") body = body.replace(/'/g, "\\'");
    if (body.length > MAX_STRING) body = body.slice(0, MAX_STRING) + "... " + (body.length - MAX_STRING) + " more characters";
    return q + body + q;
  }

  function keyOf(k) {
    if (typeof k === "symbol") return "[" + String(k) + "]";
    return IDENT.test(k) ? k : quote(k);
  }

  function ctorName(v) {
    try {
      var p = Object.getPrototypeOf(v);
      if (p === null) return null;
      var c = p.constructor;
      return typeof c === "function" && typeof c.name === "string" ? c.name : "";
    } catch {
      return "";
    }
  }

  function fnLabel(f) {
    var src = "";
    try { src = Function.prototype.toString.call(f); } catch { src = ""; }
    var isClass = /^class[\s{]/.test(src);
    var name = f.name ? ": " + f.name : " (anonymous)";
    return "[" + (isClass ? "class" : "Function") + name + "]";
  }

  function errorText(e) {
    var head = String(e.name || "Error") + ": " + String(e.message);
    if (e.message === "" || e.message === undefined) head = String(e.name || "Error");
    var stack = typeof e.stack === "string" ? e.stack : "";
    return stack ? head + "\n" + stack.replace(/\n$/, "") : head;
  }

  function wrap(open, parts, close, indent, values) {
    if (parts.length === 0) return open + close;
    var rows = values ? groupColumns(parts, values, indent) : parts;
    if (rows !== parts) return open + "\n" + "  ".repeat(indent + 1) + rows.join(",\n" + "  ".repeat(indent + 1)) + "\n" + "  ".repeat(indent) + close;
    var oneLine = open + " " + parts.join(", ") + " " + close;
    if (oneLine.length <= 72 && oneLine.indexOf("\n") === -1) return oneLine;
    var pad = "  ".repeat(indent + 1);
    return open + "\n" + pad + parts.join(",\n" + pad) + "\n" + "  ".repeat(indent) + close;
  }

  // Like Node's util.inspect, more than six short array items are laid out in aligned
  // columns: about as many columns as make a square block of text (a character counted
  // 2.5 times as tall as wide), at most 15 and within 80 columns; numbers right-aligned.
  function groupColumns(parts, values, indent) {
    if (parts.length <= 6) return parts;
    var items = parts.length > MAX_ITEMS ? parts.length - 1 : parts.length;
    var lens = [], total = 0, longest = 0, level = indent * 2;
    for (var i = 0; i < items; i++) {
      lens.push(parts[i].length);
      total += parts[i].length + 2;
      if (parts[i].length > longest) longest = parts[i].length;
    }
    var cell = longest + 2;
    if (cell * 3 + level >= 80 || !(total / cell > 5 || longest <= 6)) return parts;
    var biased = Math.max(cell - 3 - Math.sqrt(cell - total / parts.length), 1);
    var columns = Math.min(Math.round(Math.sqrt(2.5 * biased * items) / biased), Math.floor((80 - level) / cell), 12, 15);
    if (columns <= 1) return parts;
    var widths = [];
    for (var c = 0; c < columns; c++) {
      var w = 0;
      for (var k = c; k < parts.length; k += columns) if (lens[k] > w) w = lens[k];
      widths.push(w + 2);
    }
    var numeric = true;
    for (var n = 0; n < parts.length; n++) if (typeof values[n] !== "number" && typeof values[n] !== "bigint") { numeric = false; break; }
    var rows = [];
    for (var start = 0; start < items; start += columns) {
      var end = Math.min(start + columns, items), row = "";
      for (var j = start; j < end - 1; j++) row += numeric ? (parts[j] + ", ").padStart(widths[j - start]) : (parts[j] + ", ").padEnd(widths[j - start]);
      row += numeric ? parts[end - 1].padStart(widths[end - 1 - start] - 2) : parts[end - 1];
      rows.push(row);
    }
    if (items < parts.length) rows.push(parts[items]);
    return rows;
  }

  function ownEntries(v, skipIndices) {
    var parts = [];
    var keys = Reflect.ownKeys(v);
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (skipIndices && typeof k === "string" && /^(0|[1-9][0-9]*)$/.test(k)) continue;
      var d = Object.getOwnPropertyDescriptor(v, k);
      if (!d || !d.enumerable) continue;
      parts.push([k, d]);
    }
    return parts;
  }

  function fmtProp(pair, seen, depth, indent) {
    var d = pair[1];
    var val = "get" in d || "set" in d ? (d.get && d.set ? "[Getter/Setter]" : d.get ? "[Getter]" : "[Setter]") : fmt(d.value, seen, depth + 1, indent + 1);
    return keyOf(pair[0]) + ": " + val;
  }

  function fmt(v, seen, depth, indent) {
    switch (typeof v) {
      case "string": return quote(v);
      case "number": return Object.is(v, -0) ? "-0" : String(v);
      case "bigint": return String(v) + "n";
      case "boolean": return String(v);
      case "undefined": return "undefined";
      case "symbol": return String(v);
      case "function": {
        var fprops = ownEntries(v, false).filter(function (p) { return p[0] !== "prototype"; });
        if (fprops.length === 0 || depth > MAX_DEPTH) return fnLabel(v);
        return fmtObject(v, seen, depth, indent, fnLabel(v) + " ");
      }
    }
    if (v === null) return "null";
    if (seen.indexOf(v) !== -1) return "[Circular]";
    if (v instanceof Error) return errorText(v);
    if (v instanceof Date) return isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (v instanceof Promise) return "Promise { <unknown> }";
    if (v instanceof WeakMap) return "WeakMap { <items unknown> }";
    if (v instanceof WeakSet) return "WeakSet { <items unknown> }";
    var tag = objToString.call(v);
    if (tag === "[object Boolean]" || tag === "[object Number]" || tag === "[object String]") {
      return "[" + tag.slice(8, -1) + ": " + fmt(v.valueOf(), seen, depth, indent) + "]";
    }
    if (depth > MAX_DEPTH) {
      if (Array.isArray(v)) return "[Array]";
      var n = ctorName(v);
      return "[" + (n || "Object") + "]";
    }
    seen.push(v);
    try {
      if (Array.isArray(v)) return fmtArray(v, seen, depth, indent);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return fmtTyped(v, seen, depth, indent);
      if (v instanceof Map) return fmtMap(v, seen, depth, indent);
      if (v instanceof Set) return fmtSet(v, seen, depth, indent);
      if (v instanceof ArrayBuffer) return "ArrayBuffer { byteLength: " + v.byteLength + " }";
      var name = ctorName(v);
      var prefix = name === null ? "[Object: null prototype] " : name && name !== "Object" ? name + " " : "";
      return fmtObject(v, seen, depth, indent, prefix);
    } finally {
      seen.pop();
    }
  }

  function fmtArray(v, seen, depth, indent) {
    var parts = [];
    var holes = 0;
    var n = Math.min(v.length, MAX_ITEMS);
    for (var i = 0; i < n; i++) {
      if (!(i in v)) { holes++; continue; }
      if (holes) { parts.push("<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">"); holes = 0; }
      parts.push(fmt(v[i], seen, depth + 1, indent + 1));
    }
    if (holes) parts.push("<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">");
    if (v.length > MAX_ITEMS) parts.push("... " + (v.length - MAX_ITEMS) + " more items");
    var extra = ownEntries(v, true);
    for (var j = 0; j < extra.length; j++) if (extra[j][0] !== "length") parts.push(fmtProp(extra[j], seen, depth, indent));
    return wrap("[", parts, "]", indent, v);
  }

  function fmtTyped(v, seen, depth, indent) {
    var parts = [];
    var n = Math.min(v.length, MAX_ITEMS);
    for (var i = 0; i < n; i++) parts.push(fmt(v[i], seen, depth + 1, indent + 1));
    if (v.length > MAX_ITEMS) parts.push("... " + (v.length - MAX_ITEMS) + " more items");
    return wrap(ctorName(v) + "(" + v.length + ") [", parts, "]", indent, v);
  }

  function fmtMap(v, seen, depth, indent) {
    var parts = [];
    var it = v.entries();
    for (var r = it.next(); !r.done && parts.length < MAX_ITEMS; r = it.next()) {
      parts.push(fmt(r.value[0], seen, depth + 1, indent + 1) + " => " + fmt(r.value[1], seen, depth + 1, indent + 1));
    }
    if (v.size > MAX_ITEMS) parts.push("... " + (v.size - MAX_ITEMS) + " more items");
    return wrap("Map(" + v.size + ") {", parts, "}", indent);
  }

  function fmtSet(v, seen, depth, indent) {
    var parts = [];
    var it = v.values();
    for (var r = it.next(); !r.done && parts.length < MAX_ITEMS; r = it.next()) parts.push(fmt(r.value, seen, depth + 1, indent + 1));
    if (v.size > MAX_ITEMS) parts.push("... " + (v.size - MAX_ITEMS) + " more items");
    return wrap("Set(" + v.size + ") {", parts, "}", indent);
  }

  function fmtObject(v, seen, depth, indent, prefix) {
    var entries = ownEntries(v, false);
    var parts = [];
    for (var i = 0; i < entries.length && i < MAX_ITEMS; i++) parts.push(fmtProp(entries[i], seen, depth, indent));
    if (entries.length > MAX_ITEMS) parts.push("... " + (entries.length - MAX_ITEMS) + " more properties");
    if (parts.length === 0) return prefix + "{}";
    return prefix + wrap("{", parts, "}", indent);
  }

  function inspect(v) {
    return fmt(v, [], 0, 0);
  }

  // Node's console.log: strings print bare, a leading format string takes %s %d %i %f %j %o %O %c.
  function format(args) {
    var out = [];
    var start = 0;
    if (typeof args[0] === "string" && args[0].indexOf("%") !== -1 && args.length > 1) {
      var a = 1;
      var head = args[0].replace(/%([sdifjoOc%])/g, function (m, c) {
        if (c === "%") return "%";
        if (a >= args.length) return m;
        var x = args[a++];
        switch (c) {
          case "s": return typeof x === "string" ? x : typeof x === "object" && x !== null ? fmt(x, [], 1, 0) : fmt(x, [], 0, 0);
          case "d": case "i": {
            if (typeof x === "bigint") return String(x) + "n";
            var num = Number(x);
            return String(c === "i" ? Math.trunc(num) : num);
          }
          case "f": return String(parseFloat(x));
          case "j": try { return JSON.stringify(x); } catch { return "[Circular]"; }
          case "c": return "";
          default: return fmt(x, [], 0, 0);
        }
      });
      out.push(head);
      start = a;
    }
    for (var i = start; i < args.length; i++) out.push(typeof args[i] === "string" ? args[i] : fmt(args[i], [], 0, 0));
    return out.join(" ");
  }

  // console.table: rows are the data's entries, columns the union of their keys (or the
  // given columns); primitives go in a "Values" column, as in Node.
  function table(data, columns) {
    if (data === null || typeof data !== "object") return format([data]);
    var rowKeys = [];
    var rows = [];
    if (data instanceof Map) data.forEach(function (v, k) { rowKeys.push(fmt(k, [], 1, 0)); rows.push(v); });
    else if (Array.isArray(data) || data instanceof Set) Array.from(data).forEach(function (v, i) { rowKeys.push(String(i)); rows.push(v); });
    else Object.keys(data).forEach(function (k) { rowKeys.push(k); rows.push(data[k]); });
    var cols = Array.isArray(columns) ? columns.map(String) : [];
    var hasValues = false;
    if (!Array.isArray(columns)) {
      rows.forEach(function (r) {
        if (r !== null && typeof r === "object") Object.keys(r).forEach(function (k) { if (cols.indexOf(k) === -1) cols.push(k); });
        else hasValues = true;
      });
    }
    var header = ["(index)"].concat(cols, hasValues ? ["Values"] : []);
    var body = rows.map(function (r, i) {
      var line = [rowKeys[i]];
      cols.forEach(function (c) { line.push(r !== null && typeof r === "object" && c in r ? fmt(r[c], [], 1, 0) : ""); });
      if (hasValues) line.push(r !== null && typeof r === "object" ? "" : fmt(r, [], 1, 0));
      return line;
    });
    var widths = header.map(function (h, j) {
      return body.reduce(function (w, line) { return Math.max(w, line[j].length); }, h.length) + 2;
    });
    function rowText(cells) {
      return "│" + cells.map(function (c, j) { return " " + c + " ".repeat(widths[j] - c.length - 1); }).join("│") + "│";
    }
    function rule(l, m, r) { return l + widths.map(function (w) { return "─".repeat(w); }).join(m) + r; }
    return [rule("┌", "┬", "┐"), rowText(header), rule("├", "┼", "┤")].concat(body.map(rowText), [rule("└", "┴", "┘")]).join("\n");
  }

  // console.log's line for its arguments, and the text of any thrown value.
  function logLine() {
    return format(Array.prototype.slice.call(arguments));
  }
  function thrownText(e) {
    return e instanceof Error ? errorText(e) : "Uncaught " + inspect(e);
  }

  return { inspect: inspect, format: format, errorText: errorText, table: table, logLine: logLine, thrownText: thrownText };
})
