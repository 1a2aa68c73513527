import { parse } from "@bytecodealliance/jco";
import { createRuntimeHarness, type RuntimeHarness, succeeded } from "@llm-wasm-sandbox/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { createWasmPlugin, wasmPlugin } from "../src/index.js";
import { example, program } from "./snippets.js";

let h: RuntimeHarness;
beforeAll(async () => {
  h = createRuntimeHarness(wasmPlugin);
});

describe("shipped examples", () => {
  it("hello.wat prints its greeting", async () => {
    const { raw, interp } = await h.run(example("hello"));
    expect(raw.stdout).toBe("Hello, WASM!\n");
    expect(succeeded({ raw, interp })).toBe(true);
  });

  it("fibonacci.wat prints the first 30 Fibonacci numbers", async () => {
    const { raw } = await h.run(example("fibonacci"));
    const lines = raw.stdout.trim().split("\n");
    expect(lines).toHaveLength(30);
    expect(lines.slice(0, 8)).toEqual(["0", "1", "1", "2", "3", "5", "8", "13"]);
    expect(lines[29]).toBe("514229");
  });

  it("write-file.wat creates /app/greeting.txt, journaled", async () => {
    const { raw, workspace } = await h.run(example("write-file"));
    expect(raw.exitCode).toBe(0);
    expect(workspace.text("greeting.txt")).toBe("written by write-file.wat\n");
    expect(raw.journal.entries.map((e) => e.path)).toEqual(["greeting.txt"]);
  });

  it("runs the same module passed as base64 bytes", async () => {
    const bytes = await parse(example("hello"));
    const { raw } = await h.run(Buffer.from(bytes).toString("base64"));
    expect(raw.stdout).toBe("Hello, WASM!\n");
  });
});

describe("limits", () => {
  it("traps an infinite loop in WAT with out_of_fuel", async () => {
    const { raw, interp } = await h.run('(module (func (export "_start") (loop $l (br $l))))', { fuelBudget: 1_000_000 });
    expect(raw.trapReason).toBe("out_of_fuel");
    expect(raw.fuelConsumed).toBeGreaterThanOrEqual(1_000_000);
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("stops an infinite loop in the start function with out_of_fuel, on the run's budget", async () => {
    const { raw, interp } = await h.run('(module (func $spin (loop $l (br $l))) (start $spin) (func (export "_start")))', { fuelBudget: 1_000_000 });
    // The start section is deferred to after instantiation, so the run's budget applies.
    expect(raw.trapReason).toBe("out_of_fuel");
    expect(raw.fuelConsumed).toBeGreaterThanOrEqual(1_000_000);
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("runs a start function before _start, once", async () => {
    const code = program(
      { 1024: "start\\n", 1040: "main\\n" },
      "(call $print (i32.const 1040) (i32.const 5))",
      '(func $init (call $print (i32.const 1024) (i32.const 6))) (start $init)',
    );
    const { raw } = await h.run(code);
    expect(raw.stdout).toBe("start\nmain\n");
  });

  it("memory.grow past the cap returns -1 and memory stays under the cap", async () => {
    const code = program(
      { 1024: "refused\\n", 1040: "grown\\n" },
      `(if (i32.eq (memory.grow (i32.const 64)) (i32.const -1))
         (then (call $print (i32.const 1024) (i32.const 8)))
         (else (call $print (i32.const 1040) (i32.const 6))))`,
    );
    const { raw } = await h.run(code, { memoryBytes: 2 * 1024 * 1024 });
    expect(raw.stdout).toBe("refused\n");
    expect(raw.memoryUsedBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it("table.grow cannot take a table past the element cap, even without a declared maximum", async () => {
    const plugin = createWasmPlugin({ maxTableElements: 100 });
    const small = createRuntimeHarness(plugin);
    const code = program(
      { 1024: "refused\\n", 1040: "grown\\n" },
      `(if (i32.eq (table.grow $t (ref.null func) (i32.const 1000)) (i32.const -1))
         (then (call $print (i32.const 1024) (i32.const 8)))
         (else (call $print (i32.const 1040) (i32.const 6))))`,
      "(table $t 1 funcref)",
    );
    const { raw } = await small.run(code);
    expect(raw.stdout).toBe("refused\n");
  });

  it("ends unbounded recursion as stack_overflow", async () => {
    const { raw } = await h.run('(module (func $f (call $f)) (func (export "_start") (call $f)))');
    expect(raw.trapReason).toBe("stack_overflow");
  });
});

describe("refused modules", () => {
  it("refuses a module importing env.system and lists every unknown import", async () => {
    const code = `(module
      (import "env" "system" (func (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "sock_open" (func (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (func (export "_start")))`;
    const { raw, interp } = await h.run(code);
    expect(raw.exitCode).toBe(1);
    expect(raw.fuelConsumed).toBe(0);
    expect(raw.stderr).toContain("env.system (function)");
    expect(raw.stderr).toContain("wasi_snapshot_preview1.sock_open (function)");
    expect(raw.stderr).not.toContain("fd_write (function)");
    expect(succeeded({ raw, interp })).toBe(false);
    expect(interp.languageError?.name).toBe("ModuleRefused");
  });

  it("refuses a 1 GiB data segment placed beyond the memory cap", async () => {
    const code = '(module (memory 1) (data (i32.const 1073741824) "x") (func (export "_start")))';
    const { raw } = await h.run(code, { memoryBytes: 64 * 1024 * 1024 });
    expect(raw.stderr).toMatch(/data segment 0 ends at byte 1073741825, past the memory cap of 64 MiB/);
  });

  it("refuses a forged binary whose data segment claims 1 GiB", async () => {
    // header, memory section (1 memory, min 1), data section whose segment length is 1 GiB.
    const gib = [0x80, 0x80, 0x80, 0x80, 0x04];
    const payload = [0x01, 0x00, 0x41, 0x00, 0x0b, ...gib];
    const bytes = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0b, payload.length, ...payload]);
    const { raw } = await h.run(Buffer.from(bytes).toString("base64"));
    expect(raw.exitCode).toBe(1);
    expect(raw.stderr).toMatch(/malformed module: data segment 0 declares 1073741824 bytes but only 0 remain — the module is truncated or forged/);
  });

  it("refuses initial memory over the cap before allocating it", async () => {
    const { raw } = await h.run('(module (memory 16384) (func (export "_start")))', { memoryBytes: 64 * 1024 * 1024 });
    expect(raw.stderr).toContain("memory 0 starts at 16384 pages (1 GiB), over the memory cap of 64 MiB");
  });

  it("refuses a second memory (the cap applies to one)", async () => {
    const { raw } = await h.run('(module (memory 1) (memory 1) (func (export "_start")))');
    expect(raw.stderr).toContain("only one linear memory");
  });

  it("refuses a module without _start", async () => {
    const { raw } = await h.run('(module (func (export "main")))');
    expect(raw.stderr).toContain('exports no "_start" function');
  });

  it("refuses a module over the size cap", async () => {
    const small = createRuntimeHarness(createWasmPlugin({ maxModuleBytes: 64 }));
    const { raw } = await small.run(example("fibonacci"));
    expect(raw.stderr).toMatch(/accepts (modules of )?at most 64/);
  });

  it("reports WAT syntax errors with line and column as a SyntaxError", async () => {
    const { raw, interp } = await h.run('(module\n  (func (export "_start")\n    (i32.const 1\n');
    expect(raw.stderr).toMatch(/WatSyntaxError: WAT syntax error: .* at line \d+, column \d+/);
    expect(interp.languageError?.kind).toBe("SyntaxError");
  });

  it("reports a module that parses but does not validate", async () => {
    const { raw, interp } = await h.run('(module (func (export "_start") (drop (i32.add (i32.const 1)))))');
    expect(interp.languageError?.name).toBe("InvalidModule");
    expect(raw.stderr.length).toBeGreaterThan(20);
  });

  it("refuses base64 that is not WebAssembly", async () => {
    const { raw } = await h.run(Buffer.from("just some text").toString("base64"));
    expect(raw.stderr).toContain("does not decode to a WebAssembly binary");
  });
});

describe("README", () => {
  it("the README's first example prints what it says", async () => {
    const readme = await import("node:fs").then((fs) => fs.readFileSync(new URL("../README.md", import.meta.url), "utf8"));
    const literal = /sandbox\.execute\(`([\s\S]*?)`\);/.exec(readme);
    expect(literal).not.toBeNull();
    const wat = literal![1]!.replace(/\\\\/g, "\\"); // the template literal's escapes
    const { raw } = await h.run(wat);
    expect(raw.stdout).toBe("Hello, WASM!\n");
  });
});
