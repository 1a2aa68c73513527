// The `tools` global (host functions, "code mode"), run inside QuickJS: one function per
// tool from the manifest. `tools.search(args)` returns a Promise (for `await`),
// `tools.sync.search(args)` the value itself; both block the program while the host
// answers. A failure is an Error named `ToolError` with `.tool` and `.kind`.
// The script's value is a function of `(call, manifestJson)` — `call(name, argsJson)` is the
// host function returning the result's JSON text, or U+0001 followed by the error's JSON —
// that returns the object.
(function (call, manifestJson) {
  "use strict";
  class ToolError extends Error {
    constructor(tool, kind, message) {
      super(message);
      this.name = "ToolError";
      this.tool = tool;
      this.kind = kind;
    }
  }
  var manifest = JSON.parse(manifestJson);
  var tools = Object.create(null);
  var sync = Object.create(null);
  function stub(entry) {
    var name = entry.name;
    var run = function (args) {
      if (arguments.length > 1) throw new TypeError(name + "() takes one object of arguments");
      if (args === undefined) args = {};
      if (typeof args !== "object" || args === null || Array.isArray(args)) throw new TypeError(name + "() takes an object of arguments, e.g. { query: \"x\" }");
      var reply = call(name, JSON.stringify(args));
      // The result's JSON text, or U+0001 and the error's JSON (see src/driver/tools.ts).
      if (reply.charCodeAt(0) !== 1) return JSON.parse(reply);
      var error = JSON.parse(reply.slice(1));
      throw new ToolError(name, String(error.name), String(error.message));
    };
    var doc = name + "(" + entry.parameters.map(function (p) { return p.name + (p.required ? "" : "?") + ": " + p.type; }).join(", ") + ") -> " + entry.returns + "\n" + entry.description;
    Object.defineProperty(run, "name", { value: name });
    run.description = doc;
    var promised = function (args) {
      try {
        return Promise.resolve(arguments.length > 1 ? run.apply(null, arguments) : run(args));
      } catch (e) {
        return Promise.reject(e);
      }
    };
    Object.defineProperty(promised, "name", { value: name });
    promised.description = doc;
    sync[name] = Object.freeze(run);
    tools[name] = Object.freeze(promised);
  }
  manifest.forEach(stub);
  tools.sync = Object.freeze(sync);
  tools.ToolError = ToolError;
  return Object.freeze(tools);
})
