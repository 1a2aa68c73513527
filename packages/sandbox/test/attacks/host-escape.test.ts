/**
 * Host escape: no language feature may reach host JavaScript, host processes, native
 * code or leave state behind for the next execution.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type Sandbox } from "../../src/index.js";
import { CANARY, createFixture, sandboxFor, SMALL_POLICY, type AttackFixture } from "./helpers.js";

let fx: AttackFixture;
const sb: Record<string, Sandbox> = {};
beforeAll(async () => {
  fx = await createFixture();
  process.env.LLM_SANDBOX_CANARY = CANARY;
  for (const rt of ["python", "javascript", "ruby", "lua"]) sb[rt] = await sandboxFor(rt, fx);
});
afterAll(async () => {
  delete process.env.LLM_SANDBOX_CANARY;
  await fx.cleanup();
});

const dbg = (r: { stdout: string; stderr: string }) => {
  if (process.env.ATTACK_DEBUG) console.log(r.stdout, "\n--stderr--\n", r.stderr.slice(0, 2000));
};

describe("python host escape", () => {
  it("ctypes, _posixsubprocess, os.fork, os.system, subprocess and C-extension imports all fail", async () => {
    const r = await sb.python!.execute(`
import importlib, os
res = {}
def attempt(name, fn):
    try:
        res[name] = ("OK", repr(fn())[:80])
    except BaseException as e:
        res[name] = ("ERR", type(e).__name__)
attempt("ctypes", lambda: importlib.import_module("ctypes").CDLL(None))
attempt("_posixsubprocess", lambda: importlib.import_module("_posixsubprocess").fork_exec)
attempt("fork", lambda: os.fork())
attempt("system", lambda: os.system("cat ${fx.canaryPath}"))
attempt("popen", lambda: os.popen("cat ${fx.canaryPath}").read())
attempt("subprocess", lambda: importlib.import_module("subprocess").run(["cat", "${fx.canaryPath}"], capture_output=True).stdout)
attempt("execv", lambda: os.execv("/bin/sh", ["sh"]))
attempt("socket", lambda: importlib.import_module("socket").create_connection(("127.0.0.1", 22)))
attempt("_ctypes", lambda: importlib.import_module("_ctypes"))
attempt("extload", lambda: importlib.machinery.ExtensionFileLoader("x", "/usr/lib/x.so").create_module(None))
for k, v in sorted(res.items()): print(k, v[0], v[1])
`);
    dbg(r);
    expect(r.stdout).not.toContain(CANARY);
    for (const name of ["ctypes", "_posixsubprocess", "fork", "popen", "subprocess", "execv", "socket", "_ctypes"]) {
      expect(r.stdout).toMatch(new RegExp(`^${name} ERR`, "m"));
    }
  });
});

describe("javascript host escape", () => {
  it("Function constructor, import('node:fs'), std/os modules, WebAssembly and require are not the host's", async () => {
    const r = await sb.javascript!.execute(`
const res = {};
const attempt = (name, fn) => { try { res[name] = ["OK", String(fn()).slice(0, 80)]; } catch (e) { res[name] = ["ERR", String(e && e.name)]; } };
attempt("ctorctor", () => globalThis.constructor.constructor("return typeof process")());
attempt("fnproc", () => Function("return typeof process + typeof require + typeof Buffer")());
attempt("wasm", () => typeof WebAssembly);
attempt("require", () => require("fs").readFileSync("${fx.canaryPath}", "utf8"));
for (const m of ["node:fs", "fs", "std", "os", "qjs:std", "qjs:os", "child_process", "${fx.canaryPath}", "/app/../secret/canary.txt"]) {
  try { const mod = await import(m); res["import " + m] = ["OK", Object.keys(mod).join(",").slice(0, 80)]; }
  catch (e) { res["import " + m] = ["ERR", String(e && e.message).slice(0, 80)]; }
}
for (const [k, v] of Object.entries(res)) console.log(k, v[0], v[1]);
`);
    dbg(r);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).toMatch(/^ctorctor OK undefined$/m);
    expect(r.stdout).toMatch(/^fnproc OK undefinedundefinedundefined$/m);
    expect(r.stdout).toMatch(/^wasm OK undefined$/m);
    for (const m of ["node:fs", "fs", "std", "os", "qjs:std", "qjs:os", "child_process"]) {
      expect(r.stdout).toMatch(new RegExp(`^import ${m} ERR`, "m"));
    }
  });

  it("prototype pollution does not persist into the next execution", async () => {
    const a = await sb.javascript!.execute(`Object.prototype.polluted = "yes"; Array.prototype.map = () => "hijacked"; JSON.parse = () => "hijacked"; console.log({}.polluted);`);
    expect(a.stdout).toBe("yes\n");
    const b = await sb.javascript!.execute(`console.log(({}).polluted, [1, 2].map((x) => x * 2).join(","), JSON.parse("1"));`);
    expect(b.stdout).toBe("undefined 2,4 1\n");
  });
});

describe("ruby host escape", () => {
  it("JS, Fiddle, syscall, backticks, system, spawn and fork all fail", async () => {
    const r = await sb.ruby!.execute(`
def attempt(name)
  v = yield
  puts "#{name} OK #{v.inspect[0, 80]}"
rescue Exception => e
  puts "#{name} ERR #{e.class}"
end
attempt("js") { require "js"; JS.global[:process] }
attempt("JSconst") { JS }
attempt("fiddle") { require "fiddle"; Fiddle.dlopen(nil) }
attempt("syscall") { syscall(39) }
attempt("backtick") { \`cat ${fx.canaryPath}\` }
attempt("system") { system("cat ${fx.canaryPath}") }
attempt("spawn") { Process.spawn("cat") }
attempt("fork") { fork { } }
attempt("open_pipe") { open("|cat ${fx.canaryPath}").read }
attempt("socket") { require "socket"; TCPSocket.new("127.0.0.1", 22) }
attempt("objspace") { ObjectSpace.each_object(Class).count > 0 }
`);
    dbg(r);
    expect(r.stdout).not.toContain(CANARY);
    for (const name of ["js", "JSconst", "fiddle", "syscall", "spawn", "fork", "open_pipe", "socket"]) {
      expect(r.stdout).toMatch(new RegExp(`^${name} (ERR|OK nil|OK false)`, "m"));
    }
    expect(r.stdout).toMatch(/^backtick (ERR|OK "")/m);
    expect(r.stdout).toMatch(/^system (ERR|OK nil|OK false)/m);
  });
});

describe("lua host escape", () => {
  it("binary chunks, debug.*, package.loadlib, os.execute, io.popen and collectgarbage abuse fail or stay inside", async () => {
    const r = await sb.lua!.execute(`
local function attempt(name, fn)
  local ok, v = pcall(fn)
  print(name, ok and "OK" or "ERR", tostring(v):sub(1, 80))
end
attempt("binchunk", function() local f = load(string.dump(function() return 1 end)); return f and f() end)
attempt("binchunk_b", function() return load(string.dump(function() return 1 end), "x", "b")() end)
attempt("loadlib", function() return package.loadlib("/lib/x86_64-linux-gnu/libc.so.6", "system") end)
attempt("execute", function() return os.execute("cat ${fx.canaryPath}") end)
attempt("popen", function() return io.popen("cat ${fx.canaryPath}"):read("a") end)
attempt("dofile", function() return dofile("${fx.canaryPath}") end)
attempt("readfile", function() return io.open("${fx.canaryPath}"):read("a") end)
attempt("getenv", function() return os.getenv("LLM_SANDBOX_CANARY") end)
attempt("debug_registry", function() return debug and debug.getregistry and #tostring(debug.getregistry()) end)
attempt("collectgarbage", function() for i = 1, 50 do collectgarbage("collect"); collectgarbage("step", 1000000) end; return collectgarbage("count") > 0 end)
attempt("cpath", function() return require("socket") end)
print("done")
`);
    dbg(r);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).toContain("done");
    expect(r.stdout).toMatch(/^binchunk_b\tERR/m);
    expect(r.stdout).toMatch(/^cpath\tERR/m);
    expect(r.stdout).toMatch(/^readfile\tERR/m);
  });
});

describe("wasm host escape", () => {
  it("a module importing a non-WASI function is refused, a looping start function runs out of fuel", async () => {
    const wasm = await createSandbox({ runtime: "wasm", storage: memoryStorage(), policy: { ...SMALL_POLICY, fuelBudget: 5_000_000 } });
    const importer = await wasm.execute(`(module (import "env" "system" (func $s (param i32) (result i32))) (memory (export "memory") 1) (func (export "_start") (drop (call $s (i32.const 0)))))`);
    dbg(importer);
    expect(importer.success).toBe(false);
    const looping = await wasm.execute(`(module (memory (export "memory") 1) (func $spin (loop $l (br $l))) (start $spin) (func (export "_start")))`);
    dbg(looping);
    expect(looping.success).toBe(false);
    expect(looping.trapReason).toBe("out_of_fuel");
    const hugeTable = await wasm.execute(`(module (memory (export "memory") 1) (table 100000000 funcref) (func (export "_start")))`);
    dbg(hugeTable);
    expect(hugeTable.success).toBe(false);
    const hugeMemory = await wasm.execute(`(module (memory (export "memory") 60000) (func (export "_start")))`);
    dbg(hugeMemory);
    expect(hugeMemory.success).toBe(false);
  });
});
