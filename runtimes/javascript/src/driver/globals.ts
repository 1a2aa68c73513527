/**
 * The globals every run gets, defined as host functions (so a run pays no guest parsing
 * for them): `console`, the file helpers over the run's VirtualFs, `requireVendor`,
 * `crypto` (random values and UUIDs from the run's randomness) — defined once per
 * context, in the driver's start, and calling into whichever run is bound (`RunBinding`)
 * — and, per run, `env` (the policy's variables and the guest's own HOME/USER/LOGNAME,
 * nothing from the host), `scriptArgs` and, when deterministic, a seeded `Math.random`.
 * (The timers are TimerQueue's.)
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import type { GuestFiles } from "./guest-files.js";
import type { GuestFormat } from "./guest-format.js";
import { GuestThrow, GuestTypedError, type HostFunctions } from "./host-functions.js";
import { ModuleResolutionError, resolveModule } from "./module-resolution.js";
import copyIntoJs from "../../guest/copy-into.js?raw";
import seedRandomJs from "../../guest/seed-random.js?raw";

/** Where console output goes. */
export interface ConsoleSinks {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The run the globals serve: bound to a context's globals after they are defined. */
export interface RunBinding {
  readonly files: GuestFiles;
  readonly out: ConsoleSinks;
  /** Milliseconds for `console.time` (the run's monotonic clock). */
  readonly nowMs: () => number;
  /** Random bytes for `crypto` (the run's GuestClock: seeded when deterministic). */
  readonly fillRandom: (buf: Uint8Array) => void;
}

/** What `installGlobals` needs. */
export interface GlobalsOptions {
  readonly vm: QuickJSContext;
  readonly host: HostFunctions;
  readonly format: GuestFormat;
  /** The run bound now (the globals are only called while a run is). */
  readonly run: () => RunBinding;
}

/** What only the run knows, for `installRunGlobals`. */
export interface RunGlobals {
  readonly env: Readonly<Record<string, string>>;
  /** Seed for `Math.random`; null keeps QuickJS's own generator. */
  readonly randomSeed: number | null;
  /** `scriptArgs`: the program's path, then the request's extra arguments (as QuickJS's `qjs` has it). */
  readonly scriptArgs: readonly string[];
}

/** Installs the run-independent globals (all but the timers and `installRunGlobals`') on the context's global object. */
export function installGlobals(o: GlobalsOptions): void {
  installConsole(o);
  installFiles(o);
  installVendor(o);
  installCrypto(o);
}

/** Installs `env`, `scriptArgs` and, when deterministic, the seeded `Math.random`. */
export function installRunGlobals(vm: QuickJSContext, g: RunGlobals): void {
  const env = vm.newObject();
  for (const [k, v] of Object.entries(g.env)) vm.newString(v).consume((h) => vm.setProp(env, k, h));
  vm.setProp(vm.global, "env", env);
  env.dispose();
  const args = vm.newArray();
  g.scriptArgs.forEach((a, i) => vm.newString(a).consume((h) => vm.setProp(args, i, h)));
  vm.setProp(vm.global, "scriptArgs", args);
  args.dispose();
  if (g.randomSeed !== null) seedRandom(vm, g.randomSeed);
}

function installConsole({ vm, host, format, run }: GlobalsOptions): void {
  const con = vm.newObject();
  let indent = "";
  const counts = new Map<string, number>();
  const started = new Map<string, number>();
  const write = (toErr: boolean, text: string) => {
    const line = indent ? indent + text.split("\n").join(`\n${indent}`) : text;
    if (toErr) run().out.stderr(`${line}\n`);
    else run().out.stdout(`${line}\n`);
  };
  const label = (h?: QuickJSHandle) => (h === undefined || vm.typeof(h) === "undefined" ? "default" : format.format([h]));
  const logTo = (toErr: boolean) => (...args: QuickJSHandle[]) => {
    write(toErr, format.format(args));
    return undefined;
  };
  host.define(con, ["log", "info", "debug"], logTo(false));
  host.define(con, ["warn", "error"], logTo(true));
  host.define(con, "dir", (v) => {
    write(false, v === undefined ? "undefined" : format.inspect(v));
    return undefined;
  });
  host.define(con, "table", (data, columns) => {
    write(false, data === undefined ? "undefined" : format.table(data, columns));
    return undefined;
  });
  host.define(con, "trace", (...args) => {
    write(true, `Trace${args.length ? `: ${format.format(args)}` : ""}`);
    return undefined;
  });
  host.define(con, "assert", (cond, ...rest) => {
    if (cond !== undefined && vm.dump(cond)) return undefined;
    write(true, rest.length ? `Assertion failed: ${format.format(rest)}` : "Assertion failed");
    return undefined;
  });
  host.define(con, "count", (l) => {
    const k = label(l);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    write(false, `${k}: ${n}`);
    return undefined;
  });
  host.define(con, "countReset", (l) => {
    counts.delete(label(l));
    return undefined;
  });
  host.define(con, "time", (l) => {
    started.set(label(l), run().nowMs());
    return undefined;
  });
  const report = (end: boolean) => (l?: QuickJSHandle) => {
    const k = label(l);
    const t0 = started.get(k);
    if (t0 === undefined) write(true, `Warning: No such label '${k}' for console.time${end ? "End" : "Log"}()`);
    else write(false, `${k}: ${(run().nowMs() - t0).toFixed(3)}ms`);
    if (end) started.delete(k);
    return undefined;
  };
  host.define(con, "timeLog", report(false));
  host.define(con, "timeEnd", report(true));
  const group = (...args: QuickJSHandle[]) => {
    if (args.length) write(false, format.format(args));
    indent += "  ";
    return undefined;
  };
  host.define(con, ["group", "groupCollapsed"], group);
  host.define(con, "groupEnd", () => {
    indent = indent.slice(2);
    return undefined;
  });
  vm.setProp(vm.global, "console", con);
  con.dispose();
}

function installFiles({ vm, host, run }: GlobalsOptions): void {
  const g = vm.global;
  const path = (h: QuickJSHandle | undefined, fn: string): string => {
    if (h === undefined || vm.typeof(h) !== "string" || vm.getString(h) === "") {
      throw new GuestTypedError("TypeError", `${fn}: the path must be a non-empty string, e.g. "/app/data.txt"`);
    }
    return vm.getString(h);
  };
  const text = (h: QuickJSHandle | undefined): string => {
    const kind = h === undefined ? "undefined" : vm.typeof(h);
    if (kind === "string") return vm.getString(h!);
    if (kind === "number" || kind === "boolean" || kind === "bigint") return String(vm.dump(h!));
    throw new GuestTypedError("TypeError", `writeText: the text must be a string, not ${kind === "object" ? "an object (use writeJson for objects and arrays)" : kind}`);
  };
  const json = vm.getProp(g, "JSON");
  const parse = vm.getProp(json, "parse");
  const stringify = vm.getProp(json, "stringify");
  json.dispose();

  host.define(g, "readText", (p) => vm.newString(run().files.readText(path(p, "readText"))));
  host.define(g, "writeText", (p, t) => {
    run().files.writeText(path(p, "writeText"), text(t));
    return undefined;
  });
  host.define(g, "readJson", (p) => {
    const where = path(p, "readJson");
    const src = vm.newString(run().files.readText(where));
    const r = vm.callFunction(parse, vm.undefined, src);
    src.dispose();
    if (r.error) {
      const detail = r.error.consume((e) => vm.getProp(e, "message").consume((m) => (vm.typeof(m) === "string" ? vm.getString(m) : "")));
      throw new GuestTypedError("SyntaxError", `readJson: ${where} is not valid JSON${detail ? ` (${detail})` : ""}`);
    }
    return r.value;
  });
  host.define(g, "writeJson", (p, value, indent) => {
    const where = path(p, "writeJson");
    const space = indent === undefined ? vm.newNumber(2) : indent.dup();
    const r = vm.callFunction(stringify, vm.undefined, value ?? vm.undefined, vm.null, space);
    space.dispose();
    if (r.error) throw new GuestThrow(r.error);
    const kind = vm.typeof(r.value);
    if (kind !== "string") throw new GuestTypedError("TypeError", `writeJson: the value cannot be represented as JSON (${kind})`);
    run().files.writeText(where, r.value.consume((h) => vm.getString(h)));
    return undefined;
  });
  host.define(g, "fileExists", (p) => (run().files.exists(path(p, "fileExists")) ? vm.true : vm.false));
  host.define(g, "listFiles", (dir, opts) => {
    const d = dir === undefined || vm.typeof(dir) === "undefined" ? "/app" : path(dir, "listFiles");
    const recursive = opts !== undefined && vm.typeof(opts) === "object" && vm.getProp(opts, "recursive").consume((h) => vm.dump(h) === true);
    const arr = vm.newArray();
    run().files.list(d, recursive).forEach((name, i) => vm.newString(name).consume((h) => vm.setProp(arr, i, h)));
    return arr;
  });
  host.define(g, "copyFile", (src, dst) => {
    run().files.copy(path(src, "copyFile"), path(dst, "copyFile"));
    return undefined;
  });
  host.define(g, "removeFile", (p) => {
    run().files.remove(path(p, "removeFile"));
    return undefined;
  });
}

function installVendor({ vm, host, run }: GlobalsOptions): void {
  const cache = new Map<string, QuickJSHandle>();
  host.define(vm.global, "requireVendor", (nameH) => {
    const name = nameH !== undefined && vm.typeof(nameH) === "string" ? vm.getString(nameH).replace(/\.m?js$/, "") : "";
    if (!/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(name)) throw new GuestTypedError("TypeError", 'requireVendor: expected a vendored utility name such as "csv"');
    let ns = cache.get(name);
    if (ns === undefined) {
      ns = loadVendor(vm, run().files, name);
      cache.set(name, ns);
    }
    return ns.dup();
  });
}

/** Evaluates a vendored utility as a module and returns its namespace (the same instance `import` gets). */
function loadVendor(vm: QuickJSContext, files: GuestFiles, name: string): QuickJSHandle {
  const path = resolveModule("/app/user_code.js", name, (p) => files.isFile(p));
  const r = vm.evalCode(`import * as ns from ${JSON.stringify(path)};\nexport default ns;\n`, `${path}?requireVendor`, { type: "module" });
  if (r.error) throw new GuestThrow(r.error);
  const state = vm.getPromiseState(r.value);
  if (state.type === "fulfilled") return vm.getProp(state.value, "default");
  if (state.type === "rejected") throw new GuestThrow(state.error);
  throw new ModuleResolutionError(name, "a vendored utility must not use top-level await; import it instead");
}

/** `crypto.getRandomValues` and `crypto.randomUUID`, from the run's (deterministic-aware) randomness. */
function installCrypto({ vm, host, run }: GlobalsOptions): void {
  const fillRandom = (buf: Uint8Array): void => run().fillRandom(buf);
  const crypto = vm.newObject();
  let copyInto: QuickJSHandle | null = null;
  host.define(crypto, "getRandomValues", (ta) => {
    const length = ta === undefined || vm.typeof(ta) !== "object" ? -1 : vm.getProp(ta, "byteLength").consume((h) => (vm.typeof(h) === "number" ? vm.getNumber(h) : -1));
    if (length < 0) throw new GuestTypedError("TypeError", "crypto.getRandomValues: expected an integer typed array");
    if (length > 65_536) throw new GuestTypedError("RangeError", "crypto.getRandomValues: at most 65536 bytes per call");
    const bytes = new Uint8Array(length);
    fillRandom(bytes);
    copyInto ??= vm.unwrapResult(vm.evalCode(copyIntoJs, "<sandbox>"));
    const ab = vm.newArrayBuffer(bytes.buffer);
    const r = vm.callFunction(copyInto, vm.undefined, ta!, ab);
    ab.dispose();
    if (r.error) throw new GuestThrow(r.error);
    return r.value;
  });
  host.define(crypto, "randomUUID", () => {
    const b = new Uint8Array(16);
    fillRandom(b);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return vm.newString(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  });
  vm.setProp(vm.global, "crypto", crypto);
  crypto.dispose();
}

/** mulberry32 seeded from the policy: the same sequence for the same seed. */
function seedRandom(vm: QuickJSContext, seed: number): void {
  const install = vm.unwrapResult(vm.evalCode(seedRandomJs, "<sandbox>"));
  const s = vm.newNumber(seed >>> 0);
  vm.unwrapResult(vm.callFunction(install, vm.undefined, s)).dispose();
  s.dispose();
  install.dispose();
}
