/**
 * Custom drivers (what runtime packages ship): the GuestContext they receive and how
 * their failures are classified. Drivers are plain ESM files, as in a built package.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createWorkerPool } from "../src/pool/worker-pool.js";
import { run } from "../src/run.js";
import { command, memoryWorkspace, runOptions, testLimits, watImage } from "./helpers.js";

const pool = createWorkerPool({ size: 1 });
const dir = mkdtempSync(join(tmpdir(), "wasi-host-drivers-"));
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

function driver(name: string, body: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `export default async function (ctx) {\n${body}\n}\n`);
  return pathToFileURL(file).href;
}

describe("custom drivers", () => {
  it("get data, stdin, the run's fs (journaled) and fuel, and return the exit code", async () => {
    const image = await watImage("burn.wasm", `(module (import "env" "memory" (memory 1))
      (global $fuel (export "__llm_fuel") (mut i64) (i64.const 0)) (global (export "__llm_grow_failed") (mut i32) (i32.const 0))
      (func (export "burn") (global.set $fuel (i64.sub (global.get $fuel) (i64.const 1000)))))`);
    const url = driver(
      "context",
      `const before = ctx.fuelRemaining();
       const instance = ctx.instantiate({});
       instance.exports.burn();
       const file = ctx.fs.open("/app/notes/" + ctx.data.name, { write: true, create: true });
       file.write(ctx.stdin);
       ctx.writeStdout(new TextEncoder().encode(before + " " + ctx.fuelRemaining() + " " + ctx.argv.join(",") + "\\n"));
       return 7;`,
    );
    const workspace = memoryWorkspace({ "notes/old.txt": "old" });
    const result = await run(
      runOptions(image, { driver: url, driverData: { name: "new.txt" }, stdin: new TextEncoder().encode("from stdin"), workspace, argv: ["a", "b"], limits: testLimits({ fuelBudget: 5000 }) }),
      pool,
    );
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe("5000 4000 a,b\n");
    expect(result.fuelConsumed).toBe(1000);
    expect(result.journal.entries).toEqual([{ op: "write", path: "notes/new.txt", data: new TextEncoder().encode("from stdin") }]);
    expect(workspace.reads).toEqual([]);
  });

  it("gives a second instance only the fuel the first one left", async () => {
    const image = await watImage("burn.wasm", `(module (import "env" "memory" (memory 1))
      (global $fuel (export "__llm_fuel") (mut i64) (i64.const 0)) (global (export "__llm_grow_failed") (mut i32) (i32.const 0))
      (func (export "burn") (global.set $fuel (i64.sub (global.get $fuel) (i64.const 300)))))`);
    const url = driver("two", `ctx.instantiate({}).exports.burn(); ctx.instantiate({}).exports.burn(); return ctx.fuelRemaining() === 400 ? 0 : 1;`);
    const result = await run(runOptions(image, { driver: url, limits: testLimits({ fuelBudget: 1000 }) }), pool);
    expect(result.exitCode).toBe(0);
    expect(result.fuelConsumed).toBe(600);
  });

  it("classifies a failure after noteMemoryLimitHit as memory_limit", async () => {
    const image = await watImage("noop.wasm", command(""));
    const url = driver("oom", `ctx.noteMemoryLimitHit(); throw new WebAssembly.RuntimeError("abort() called by the guest");`);
    const result = await run(runOptions(image, { driver: url }), pool);
    expect(result.trapReason).toBe("memory_limit");
  });

  it("classifies unbounded recursion as stack_overflow", async () => {
    const image = await watImage("noop.wasm", command(""));
    const url = driver("deep", `const f = (n) => f(n + 1) + 1; return f(0);`);
    const result = await run(runOptions(image, { driver: url }), pool);
    expect(result.trapReason).toBe("stack_overflow");
    expect(result.trapMessage).toContain("call stack exhausted");
  });

  it("survives a driver that ends its worker thread, and the pool replaces the thread", async () => {
    const image = await watImage("noop.wasm", command(""));
    const dead = await run(runOptions(image, { driver: driver("exit", `process.exit(9);`) }), pool);
    expect(dead.trapReason).toBe("host_error");
    expect(dead.trapMessage).toContain("host error");
    const next = await run(runOptions(image), pool);
    expect(next).toMatchObject({ exitCode: 0, trapReason: null });
  });

  it("reports a driver bug and a driver without a default export as host_error", async () => {
    const image = await watImage("noop.wasm", command(""));
    const buggy = await run(runOptions(image, { driver: driver("buggy", `return ctx.nope.field;`) }), pool);
    expect(buggy.trapReason).toBe("host_error");
    const file = join(dir, "nodefault.mjs");
    writeFileSync(file, "export const x = 1;\n");
    const missing = await run(runOptions(image, { driver: pathToFileURL(file).href }), pool);
    expect(missing.trapReason).toBe("host_error");
    expect(missing.trapMessage).toContain("no default export");
  });
});
