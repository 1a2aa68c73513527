import { MemoryWorkspace, type RuntimeHarness, succeeded } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { luaHarness } from "./helpers.js";

const enc = new TextEncoder();
let h: RuntimeHarness;

beforeAll(async () => {
  h = luaHarness([{ guestPath: "/data/lua", files: { "greet.lua": enc.encode('return { hi = function(n) return "hi " .. n end }') } }]);
});
afterAll(async () => {
  await h?.close();
});

describe("Lua basics", () => {
  it("makes error and pcall work through longjmp", async () => {
    const { raw, interp } = await h.run('print(pcall(function() error("inner") end))\nprint("after")\nerror("boom-lua")');
    expect(raw.stdout).toContain("false\t/app/user_code.lua:1: inner\nafter\n");
    expect(raw.stderr).toContain("lua: /app/user_code.lua:3: boom-lua\nstack traceback:");
    expect(raw.stderr).not.toContain("bootstrap");
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("maps os.exit(n) to the exit code and flushes pending output", async () => {
    const { raw } = await h.run('io.write("partial")\nos.exit(7)');
    expect(raw.exitCode).toBe(7);
    expect(raw.stdout).toBe("partial");
  });

  it("requires modules from /app and from read-only /data/lua", async () => {
    const ws = new MemoryWorkspace();
    ws.put("util.lua", "return { twice = function(x) return 2 * x end }");
    const { raw } = await h.run('print(require("util").twice(21), require("greet").hi("lua"))', {}, ws);
    expect(raw.stdout).toBe("42\thi lua\n");
  });

  it("has os.time, os.clock and os.date in UTC", async () => {
    const { raw } = await h.run('print(os.date("!%Y", 0), os.date("%H:%M", 3600), type(os.time()), os.clock() >= 0)');
    expect(raw.stdout).toBe("1970\t01:00\tnumber\ttrue\n");
  });

  it("seeds math.random from the run's random source: fixed by randomSeed when deterministic", async () => {
    const code = "print(math.random(1, 1000000), math.random(1, 1000000))";
    const a = await h.run(code, { deterministic: true, randomSeed: 7 });
    const b = await h.run(code, { deterministic: true, randomSeed: 7 });
    const c = await h.run(code, { deterministic: true, randomSeed: 8 });
    expect(a.raw.stdout).toBe(b.raw.stdout);
    expect(c.raw.stdout).not.toBe(a.raw.stdout);
  });

  it("reads with io.lines and appends with mode a", async () => {
    const ws = new MemoryWorkspace();
    ws.put("in.txt", "a\nb\n");
    const { raw, workspace } = await h.run('local n = 0\nfor l in io.lines("/app/in.txt") do n = n + 1 end\nlocal f = io.open("/app/in.txt", "a") f:write("c\\n") f:close()\nprint(n)', {}, ws);
    expect(raw.stdout).toBe("2\n");
    expect(workspace.text("in.txt")).toBe("a\nb\nc\n");
  });

  it("reports Lua's own stack overflow for unbounded recursion", async () => {
    const { raw, interp } = await h.run("local function f(n) return 1 + f(n + 1) end\nf(0)");
    expect(raw.trapReason).toBeNull();
    expect(raw.stderr).toContain("stack overflow");
    expect(interp.languageError?.kind).toBe("StackOverflow");
  });

  it("stops deep C recursion (metamethods, coroutines, patterns) with a catchable Lua error, not a host crash", async () => {
    const code = [
      "local t = setmetatable({}, { __index = function(t, k) return t[k] end })",
      "print(pcall(function() return t.x end))",
      "local function nest() return coroutine.wrap(nest)() end",
      "print(pcall(nest))",
      'print(pcall(string.find, string.rep("a", 300000), string.rep("a?", 300000) .. string.rep("a", 300000)))',
      'print("survived")',
    ].join("\n");
    const { raw } = await h.run(code);
    expect(raw.trapReason).toBeNull();
    const lines = raw.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^false\t.*stack overflow/);
    expect(lines[1]).toMatch(/^false\t.*(stack overflow|C stack)/);
    expect(lines.at(-1)).toBe("survived");
  });

  it("refuses memory caps below glue.wasm's initial 16 MiB with an actionable error", async () => {
    const run = await h.run('print("x")', { memoryBytes: 8 * 1024 * 1024 });
    expect(succeeded(run)).toBe(false);
    expect(run.interp.languageError?.name).toBe("MemoryTooSmall");
    expect(run.raw.stderr).toMatch(/at least 16777216/);
    expect(run.interp.languageError?.guidance?.join(" ")).toMatch(/Raise policy.memoryBytes/);
  });

  it("raises not enough memory under the cap and stays under it", async () => {
    const cap = 64 * 1024 * 1024;
    const { raw, interp } = await h.run('local t = {}\nfor i = 1, 1e9 do t[i] = string.rep("x", 100000) .. i end\nprint("ALLOCATED")', { memoryBytes: cap });
    expect(raw.stdout).not.toContain("ALLOCATED");
    expect(raw.memoryUsedBytes).toBeLessThanOrEqual(cap);
    expect(succeeded({ raw, interp })).toBe(false);
    expect(raw.stderr).toContain("not enough memory");
  });
});

describe("Lua sandbox attacks", () => {
  it("refuses binary chunks through load, loadfile, dofile and require", async () => {
    const code = [
      // One line per attempt: multi-line messages are joined.
      'local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = (tostring(t[i]):gsub("\\n", " ")) end print(table.concat(t, "\\t", 1, t.n)) end',
      "local bc = string.dump(function() return 1 end)",
      "show(load(bc))",
      'local f = io.open("/app/evil.lua", "wb") f:write(bc) f:close()',
      'show(loadfile("/app/evil.lua"))',
      'show(pcall(dofile, "/app/evil.lua"))',
      'show(pcall(require, "evil"))',
    ].join("\n");
    const { raw } = await h.run(code);
    expect(raw.exitCode).toBe(0);
    const lines = raw.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/^(nil|false)\t.*binary chunk/);
  });

  it("removes package.loadlib, os.execute, io.popen and the C searchers", async () => {
    const { raw } = await h.run("print(package.loadlib, os.execute, io.popen, #package.searchers, package.cpath == '')");
    expect(raw.stdout).toBe("nil\tnil\tnil\t2\ttrue\n");
  });

  it("cannot remove or rename files outside /app", async () => {
    const code = [
      'print(os.remove("/data/lua/greet.lua"))',
      'print(os.rename("/data/lua/greet.lua", "/app/x.lua"))',
      'print(io.open("/data/lua/greet.lua", "w"))',
      'print(io.open("/etc/passwd"))',
    ].join("\n");
    const { raw } = await h.run(code);
    const lines = raw.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.startsWith("nil\t")).toBe(true);
    expect(raw.journal.entries).toEqual([]);
  });

  it("cannot reach host environment variables (HOME is the guest's own /app)", async () => {
    process.env.LLM_SANDBOX_CANARY ??= "canary-lua-1";
    const { raw } = await h.run('print(os.getenv("LLM_SANDBOX_CANARY"), os.getenv("HOME"), os.getenv("PATH"), os.getenv("GRANTED"))', { env: { GRANTED: "yes" } });
    expect(raw.stdout).toBe("nil\t/app\tnil\tyes\n");
  });
});

describe("Lua _state persistence", () => {
  it("persists _state between executions and notes what it skipped", async () => {
    const ws = new MemoryWorkspace();
    const first = await h.run('_state.counter = 100\n_state.data = {1, 2, 3, nested = {ok = true}}\n_state.fn = print', {}, ws, true);
    expect(first.raw.exitCode).toBe(0);
    expect(first.interp.notes?.join(" ")).toContain('_state: "_state[\\"fn\\"]" was not persisted ("a function cannot be persisted")');
    expect(first.raw.stderr).toBe("");
    const second = await h.run('_state.counter = _state.counter + 1\ntable.insert(_state.data, 4)\nprint(_state.counter, #_state.data, _state.data.nested.ok, _state.fn)', {}, ws, true);
    expect(second.raw.stdout).toBe("101\t4\ttrue\tnil\n");
  });

  it("reports a _state that cannot be saved as a note, without failing the run", async () => {
    const { raw, interp } = await h.run('_state = setmetatable({}, { __pairs = function() error("no pairs") end })', {}, new MemoryWorkspace(), true);
    expect(raw.exitCode).toBe(0);
    expect(interp.notes?.join(" ")).toMatch(/_state: not saved \(".*no pairs.*"\)/);
  });

  it("does not persist _state when autoPersistGlobals is off", async () => {
    const ws = new MemoryWorkspace();
    await h.run("_state = { x = 1 }", {}, ws, false);
    const { raw } = await h.run("print(_state)", {}, ws, false);
    expect(raw.stdout).toBe("nil\n");
  });
});

describe("README", () => {
  it("runs the README's _state example twice in one session", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const snippet = /```lua\n([^]*?)```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    const ws = new MemoryWorkspace();
    await h.run(snippet!, {}, ws, true);
    const { raw } = await h.run(snippet!, {}, ws, true);
    expect(raw.stdout).toBe("run number\t2\n");
  });
});
