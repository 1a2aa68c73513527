import { createRuntimeHarness, MemoryWorkspace, type RuntimeHarness, succeeded } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import javascriptPlugin from "../src/index.js";

let h: RuntimeHarness;
beforeAll(async () => {
  h = createRuntimeHarness(javascriptPlugin);
});
afterAll(async () => {
  await h?.close();
});

describe("javascript runtime: basics", () => {
  it("prints objects readably and reports fuel", async () => {
    const { raw, interp } = await h.run('console.log("hello from js", { a: [1, { b: "x" }] }, new Map([[1, 2]]))');
    expect(succeeded({ raw, interp })).toBe(true);
    expect(raw.stdout).toBe("hello from js { a: [ 1, { b: 'x' } ] } Map(1) { 1 => 2 }\n");
    expect(raw.fuelConsumed).toBeGreaterThan(0);
  });

  it("prints an uncaught error as Name: message with its stack and exits 1", async () => {
    const { raw, interp } = await h.run('function fail() { throw new Error("boom-js") }\nfail()');
    expect(raw.exitCode).toBe(1);
    expect(raw.stderr).toMatch(/^Error: boom-js\n {4}at fail \(\/app\/user_code\.js:1:/);
    expect(succeeded({ raw, interp })).toBe(false);
    expect(interp.languageError).toMatchObject({ name: "Error", message: "boom-js" });
  });

  it("reports a syntax error with its location", async () => {
    const { raw, interp } = await h.run("function (");
    expect(raw.stderr).toContain("SyntaxError");
    expect(raw.stderr).toContain("/app/user_code.js:1:");
    expect(interp.languageError?.kind).toBe("SyntaxError");
  });

  it("offers the file helpers over the workspace and journals what they write", async () => {
    const code = 'writeText("/app/out.txt", "x"); writeJson("/app/d.json", {a: 1}); console.log(readText("/app/out.txt"), readJson("/app/d.json").a, fileExists("/app/out.txt"), listFiles("/app"))';
    const { raw, workspace } = await h.run(code);
    expect(raw.stdout).toBe("x 1 true [ 'd.json', 'out.txt', 'user_code.js' ]\n");
    expect(raw.journal.entries.map((e) => `${e.op}:${e.path}`).sort()).toEqual(["write:d.json", "write:out.txt"]);
    expect(workspace.text("d.json")).toBe('{\n  "a": 1\n}');
  });

  it("copies and removes files and surfaces ENOENT as a catchable error with a code", async () => {
    const ws = new MemoryWorkspace();
    ws.put("in.txt", "data");
    const code = 'copyFile("in.txt", "copy.txt"); removeFile("/app/in.txt"); try { readText("in.txt") } catch (e) { console.log(e.code, e.message) }';
    const { raw } = await h.run(code, {}, ws);
    expect(raw.stdout).toBe("ENOENT ENOENT: no such file or directory, open 'in.txt'\n");
    expect(ws.text("copy.txt")).toBe("data");
    expect(ws.files.has("in.txt")).toBe(false);
  });

  it("passes the request's extra arguments as scriptArgs", async () => {
    const { raw } = await h.run("console.log(JSON.stringify(scriptArgs))", {}, new MemoryWorkspace(), false, ["--fast", "two words"]);
    expect(raw.stdout).toBe('["/app/user_code.js","--fast","two words"]\n');
  });

  it("encodes and decodes UTF-8 with TextEncoder and TextDecoder", async () => {
    const code = 'const b = new TextEncoder().encode("héllo €"); console.log(b.length, new TextDecoder().decode(b), typeof TextEncoder); try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])) } catch (e) { console.log(e.name) }';
    const { raw } = await h.run(code);
    expect(raw.stdout).toBe("10 héllo € function\nTypeError\n");
  });

  it("says which file is not valid JSON in readJson", async () => {
    const ws = new MemoryWorkspace();
    ws.put("bad.json", "{oops");
    const { raw } = await h.run('try { readJson("bad.json") } catch (e) { console.log(e.name, e.message.startsWith("readJson: bad.json is not valid JSON (")) }', {}, ws);
    expect(raw.stdout).toBe("SyntaxError true\n");
  });

  it("points writeText of an object to writeJson", async () => {
    const { raw } = await h.run('try { writeText("/app/o.txt", { a: 1 }) } catch (e) { console.log(e.name, e.message) }');
    expect(raw.stdout).toBe("TypeError writeText: the text must be a string, not an object (use writeJson for objects and arrays)\n");
  });

  it("sees only the policy's environment and its own home, as the env object", async () => {
    process.env.LLM_SANDBOX_JS_CANARY = "js-canary-91c2";
    const { raw } = await h.run("console.log(JSON.stringify(env))", { env: { GRANTED: "yes" } });
    expect(JSON.parse(raw.stdout)).toEqual({ GRANTED: "yes", HOME: "/app", USER: "sandbox", LOGNAME: "sandbox" });
  });
});

describe("javascript runtime: event loop and modules", () => {
  it("drains promise jobs and fires timers in due order", async () => {
    const code = [
      'setTimeout(() => console.log("t20"), 20);',
      'setTimeout(() => console.log("t10"), 10);',
      "let n = 0; const id = setInterval(() => { console.log('iv', ++n); if (n === 2) clearInterval(id) }, 8);",
      'Promise.resolve().then(() => console.log("micro"));',
    ].join("\n");
    const { raw } = await h.run(code, { deterministic: true });
    expect(raw.stdout).toBe("micro\niv 1\nt10\niv 2\nt20\n");
  });

  it("ends a setInterval that never stops with out_of_fuel", async () => {
    const { raw } = await h.run("setInterval(() => {}, 1)", { fuelBudget: 50_000_000, deterministic: true });
    expect(raw.trapReason).toBe("out_of_fuel");
  });

  it("supports top-level await", async () => {
    const { raw } = await h.run('const v = await new Promise((r) => setTimeout(() => r(5), 1)); console.log("tla", v)');
    expect(raw.stdout).toBe("tla 5\n");
  });

  it("fails the run when the main async function rejects", async () => {
    const { raw, interp } = await h.run('async function main() { await null; throw new TypeError("async-fail") }\nmain()');
    expect(raw.exitCode).toBe(1);
    expect(raw.stderr).toContain("TypeError: async-fail");
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("imports modules from /app and vendored utilities by bare name", async () => {
    const ws = new MemoryWorkspace();
    ws.put("lib/math.js", "export const double = (x) => x * 2;");
    const code = 'import { double } from "./lib/math.js";\nimport { parse } from "csv";\nconsole.log(double(21), parse("a,b\\n1,2\\n")[0].b)';
    const { raw } = await h.run(code, {}, ws);
    expect(raw.stderr).toBe("");
    expect(raw.stdout).toBe("42 2\n");
  });

  it("loads the vendored csv helper with requireVendor", async () => {
    const { raw } = await h.run('const csv = requireVendor("csv"); console.log(csv.stringify([{ a: 1, b: "x,y" }]).trim())');
    expect(raw.stdout).toBe('a,b\n1,"x,y"\n');
  });

  it("refuses to import Node built-ins, npm packages and host paths", async () => {
    for (const spec of ["node:fs", "lodash", "/etc/passwd", "../../etc/passwd"]) {
      const { raw, interp } = await h.run(`import x from ${JSON.stringify(spec)}`);
      expect(raw.exitCode).toBe(1);
      expect(raw.stderr).toContain(`Cannot find module '${spec}'`);
      expect(interp.languageError?.kind).toBe("MissingPackage");
    }
  });
});

describe("javascript runtime: isolation", () => {
  it("cannot read /etc/passwd through the helpers, .. or imports", async () => {
    const code = 'for (const p of ["/etc/passwd", "/app/../../etc/passwd", "../../etc/passwd"]) { try { console.log(readText(p)) } catch (e) { console.log("denied", String(e)) } }';
    const { raw } = await h.run(code);
    expect(raw.stdout).not.toMatch(/root:.:0:0/);
    expect(raw.stdout.match(/denied Error: ENOENT/g)).toHaveLength(3);
  });

  it("finds no host objects through globals, prototype chains or the Function constructor", async () => {
    const code = [
      "const probes = { process: typeof process, require: typeof require, fetch: typeof fetch, Deno: typeof Deno, Bun: typeof Bun, std: typeof std, os: typeof os, module: typeof module };",
      'const viaFunction = (function(){}).constructor("return [typeof process, typeof require, typeof globalThis.process]")();',
      'const viaHelper = readText.constructor("return typeof process")();',
      'const viaProto = Object.getPrototypeOf(console.log).constructor("return this")() === globalThis;',
      "const hidden = Object.getOwnPropertyNames(globalThis).filter((n) => /host|__/.test(n));",
      "console.log(JSON.stringify({ probes, viaFunction, viaHelper, viaProto, hidden }));",
    ].join("\n");
    const { raw, interp } = await h.run(code);
    expect(succeeded({ raw, interp })).toBe(true);
    const out = JSON.parse(raw.stdout) as { probes: Record<string, string>; viaFunction: string[]; viaHelper: string; viaProto: boolean; hidden: string[] };
    expect(Object.values(out.probes).every((t) => t === "undefined")).toBe(true);
    expect(out.viaFunction).toEqual(["undefined", "undefined", "undefined"]);
    expect(out.viaHelper).toBe("undefined");
    expect(out.viaProto).toBe(true);
    expect(out.hidden).toEqual([]);
  });

  it("rejects writes outside /app, including the read-only /data_js", async () => {
    const code = 'for (const p of ["/data_js/csv.js", "/evil.txt", "/etc/x"]) { try { writeText(p, "x"); console.log("wrote", p) } catch (e) { console.log(e.code) } }';
    const { raw } = await h.run(code);
    expect(raw.stdout).toBe("EROFS\nEACCES\nENOENT\n");
    expect(raw.journal.entries).toEqual([]);
  });
});

describe("javascript runtime: limits", () => {
  it("stops an infinite loop with out_of_fuel", async () => {
    const { raw, interp } = await h.run("while (true) {}", { fuelBudget: 200_000_000 });
    expect(raw.trapReason).toBe("out_of_fuel");
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("keeps memory under a 64 MiB cap and fails the allocation loop cleanly", async () => {
    const { raw, interp } = await h.run('const a = []; while (true) a.push(new Array(1e6).fill(1.5)); console.log("ALLOCATED")', { memoryBytes: 64 * 1024 * 1024 });
    expect(raw.stdout).not.toContain("ALLOCATED");
    expect(succeeded({ raw, interp })).toBe(false);
    expect(raw.memoryUsedBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(raw.stderr).toContain("out of memory");
    expect(raw.trapReason).toBe("memory_limit");
  });

  it("ends a Map growing past the cap as memory_limit, even when QuickJS cannot raise an error", async () => {
    const { raw, interp } = await h.run('const m = new Map(); let i = 0; while (true) m.set(i, "v" + i++);', { memoryBytes: 64 * 1024 * 1024 });
    expect(raw.trapReason).toBe("memory_limit");
    expect(raw.memoryUsedBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("lets the program catch an out-of-memory error and go on", async () => {
    const code = 'let a = []; try { while (true) a.push(new Array(1e6).fill(1.5)) } catch (e) { a = null; console.log("caught", e.name, e.message) }';
    const { raw } = await h.run(code, { memoryBytes: 64 * 1024 * 1024 });
    expect(raw.stdout).toBe("caught InternalError out of memory\n");
  });

  it("turns unbounded recursion into a catchable RangeError, never a host crash", async () => {
    const uncaught = await h.run("function f(n) { return f(n + 1) + 1 } f(0)");
    expect(uncaught.raw.stderr).toMatch(/Maximum call stack size exceeded/);
    expect(uncaught.interp.languageError?.kind).toBe("StackOverflow");
    const caught = await h.run('function f(n) { return f(n + 1) + 1 } try { f(0) } catch (e) { console.log("caught", e.name) }');
    expect(caught.raw.stdout).toBe("caught RangeError\n");
    expect(succeeded(caught)).toBe(true);
  });

  it("turns recursion through the sandbox helpers (toJSON → writeJson → toJSON) into a catchable RangeError", async () => {
    const code = 'let d = 0; const o = { toJSON() { d++; writeJson("/app/x.json", o); return 1 } }; try { writeJson("/app/x.json", o) } catch (e) { console.log(e.name, d) }';
    const { raw, interp } = await h.run(code);
    expect(raw.stdout).toBe("RangeError 64\n");
    expect(succeeded({ raw, interp })).toBe(true);
  });

  it("refuses more than 10,000 pending timers, which would live outside the memory cap", async () => {
    const { raw } = await h.run("let n = 0; try { for (;;) { setTimeout(() => {}, 1e6); n++ } } catch (e) { console.log(e.name, n) }", { deterministic: true });
    expect(raw.stdout).toBe("RangeError 10000\n");
  });

  it("caps stdout and flags the truncation", async () => {
    const { raw } = await h.run('for (let i = 0; i < 10000; i++) console.log("x".repeat(100))', { stdoutMaxBytes: 1000 });
    expect(raw.stdout.length).toBeLessThanOrEqual(1000);
    expect(raw.stdoutTruncated).toBe(true);
  });

  it("stops a busy loop at the wall clock", async () => {
    const { raw } = await h.run("while (true) {}", { timeoutMs: 500, fuelBudget: 10_000_000_000_000 });
    expect(raw.trapReason).toBe("timeout");
  });
});

describe("javascript runtime: determinism and state", () => {
  it("freezes Date.now and seeds Math.random when deterministic", async () => {
    const code = "console.log(Date.now(), new Date().toISOString(), Math.random(), Math.random())";
    const a = await h.run(code, { deterministic: true, randomSeed: 3 });
    const b = await h.run(code, { deterministic: true, randomSeed: 3 });
    const c = await h.run(code, { deterministic: true, randomSeed: 4 });
    expect(a.raw.stdout).toBe(b.raw.stdout);
    expect(a.raw.fuelConsumed).toBe(b.raw.fuelConsumed);
    expect(c.raw.stdout).not.toBe(a.raw.stdout);
  });

  it("offers crypto.getRandomValues and crypto.randomUUID, seeded when deterministic", async () => {
    const code = "const a = crypto.getRandomValues(new Uint8Array(8)); console.log(a.length, a.some((x) => x !== 0), crypto.randomUUID())";
    const a = await h.run(code, { deterministic: true, randomSeed: 9 });
    const b = await h.run(code, { deterministic: true, randomSeed: 9 });
    expect(a.raw.stdout).toMatch(/^8 true [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/);
    expect(b.raw.stdout).toBe(a.raw.stdout);
    const c = await h.run(code);
    expect(c.raw.stdout).not.toBe(a.raw.stdout);
  });

  it("persists _state between executions and reports values JSON cannot hold", async () => {
    const ws = new MemoryWorkspace();
    const first = await h.run("_state.counter = (_state.counter || 0) + 1; _state.fn = () => 1; console.log(_state.counter)", {}, ws, true);
    expect(first.raw.stdout).toBe("1\n");
    expect(first.interp.notes).toEqual(['_state: "_state.fn" was not persisted ("a function is not JSON").']);
    expect(first.raw.stderr).toBe("");
    const second = await h.run('_state.counter = (_state.counter || 0) + 1; console.log("n=" + _state.counter, typeof _state.fn)', {}, ws, true);
    expect(second.raw.stdout).toBe("n=2 undefined\n");
  });

  it("does not save _state when the run fails", async () => {
    const ws = new MemoryWorkspace();
    await h.run("_state.v = 1", {}, ws, true);
    const failed = await h.run('_state.v = 2; throw new Error("no")', {}, ws, true);
    expect(failed.interp.notes).toContain("_state: not saved, the run did not finish successfully.");
    const after = await h.run("console.log(_state.v)", {}, ws, true);
    expect(after.raw.stdout).toBe("1\n");
  });
});
