/**
 * Python on Pyodide's CPython build: the build carries a JavaScript FFI (`js`,
 * `_pyodide_core`, `_ctypes` over libffi's JS calls). The sandbox never registers those
 * modules and stubs every FFI import to end the run; these attacks look for any way back
 * to them (or to native code) from Python.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index.js";
import { CANARY, createFixture, sandboxFor, type AttackFixture } from "./helpers.js";

let fx: AttackFixture;
let py: Sandbox;
beforeAll(async () => {
  fx = await createFixture();
  py = await sandboxFor("python", fx);
});
afterAll(async () => {
  await fx.cleanup();
});

const attempt = `
res = {}
def attempt(name, fn):
    try:
        res[name] = ("OK", repr(fn())[:120])
    except BaseException as e:
        res[name] = ("ERR", type(e).__name__)
`;

describe("python FFI escape (pyodide build)", () => {
  it("import js, _pyodide_core, pyodide, _ctypes and ctypes all fail with ModuleNotFoundError/ImportError", async () => {
    const r = await py.execute(`${attempt}
import importlib
for name in ["js", "_pyodide_core", "pyodide", "pyodide_js", "_pyodide", "_ctypes", "ctypes", "_testcapi", "_testinternalcapi", "_remote_debugging", "_posixsubprocess"]:
    attempt(name, lambda n=name: importlib.import_module(n))
attempt("__import__", lambda: __import__("_pyodide_core"))
for k, v in res.items():
    print(k, *v)
`);
    for (const line of r.stdout.trim().split("\n")) expect(line).toMatch(/ ERR (ModuleNotFoundError|ImportError)$/);
    expect(r.stdout.trim().split("\n")).toHaveLength(12);
    expect(r.stdout).not.toContain(CANARY);
  });

  it("sys.modules games (planting fakes, importlib machinery, _imp.create_builtin) never produce an FFI module", async () => {
    const r = await py.execute(`${attempt}
import sys, _imp, importlib.machinery as m, types
attempt("builtin_spec", lambda: m.BuiltinImporter.find_spec("_pyodide_core"))
attempt("create_builtin", lambda: _imp.create_builtin(types.SimpleNamespace(name="_pyodide_core")))
attempt("create_ctypes", lambda: _imp.create_builtin(types.SimpleNamespace(name="_ctypes")))
attempt("is_builtin", lambda: [_imp.is_builtin(n) for n in ("_ctypes", "_pyodide_core", "js")])
sys.modules["js"] = types.ModuleType("js")
attempt("planted", lambda: __import__("js").__dict__.get("globalThis"))
attempt("names", lambda: [n for n in sys.builtin_module_names if "ctypes" in n or "pyodide" in n or n == "js"])
attempt("loaded", lambda: sorted(n for n in sys.modules if "pyodide" in n or "ctypes" in n))
for k, v in res.items():
    print(k, *v)
`);
    expect(r.stdout).toContain("builtin_spec OK None");
    // Not in the table of built-in modules: there is nothing to create.
    expect(r.stdout).toContain("create_builtin OK None");
    expect(r.stdout).toContain("create_ctypes OK None");
    expect(r.stdout).toContain("is_builtin OK [0, 0, 0]");
    expect(r.stdout).toContain("planted OK None");
    expect(r.stdout).toContain("names OK []");
    expect(r.stdout).toContain("loaded OK []");
  });

  it("gc.get_objects() hunting finds no JsProxy, no FFI function and no foreign module", async () => {
    const r = await py.execute(`
import gc, sys
kinds = set()
for o in gc.get_objects():
    t = type(o)
    name = getattr(t, "__module__", "") + "." + t.__qualname__
    if "Js" in t.__qualname__ or "pyodide" in name or "ctypes" in name or "_pyodide" in repr(getattr(o, "__module__", "")):
        kinds.add(name)
print("FOUND", sorted(kinds))
print("EMSCRIPTEN", sys._emscripten_info.runtime)
`);
    expect(r.stdout).toContain("FOUND []");
    expect(r.stdout).toContain("EMSCRIPTEN llm-wasm-sandbox");
  });

  it("dlopen of a guest-written shared library fails (no dynamic linking at all)", async () => {
    const r = await py.execute(`${attempt}
import os, importlib.util, importlib.machinery as m
open("/app/evil.cpython-314-wasm32-emscripten.so", "wb").write(b"\\0asm\\x01\\0\\0\\0" + b"\\0" * 64)
open("/app/evil2.so", "wb").write(b"\\0asm\\x01\\0\\0\\0")
attempt("import_ext", lambda: __import__("evil"))
attempt("ext_loader", lambda: m.ExtensionFileLoader("evil2", "/app/evil2.so").create_module(importlib.util.spec_from_file_location("evil2", "/app/evil2.so")))
attempt("suffixes", lambda: m.EXTENSION_SUFFIXES)
attempt("dlopen_flags", lambda: __import__("sys").setdlopenflags(2))
for k, v in res.items():
    print(k, *v)
`);
    expect(r.stdout).toMatch(/^import_ext ERR (ImportError|ModuleNotFoundError)$/m);
    expect(r.stdout).toMatch(/^ext_loader ERR (ImportError|OSError)$/m);
    expect(r.success).toBe(true);
  });
});
