import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PolicyValidationError } from "@llm-wasm-sandbox/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../src/index.js";
import { runCli, type CliRun } from "./fixtures/run-cli.js";

/** The built CLI; `pnpm test` builds every package before vitest runs. */

function cli(args: string[], cwd: string, cacheDir: string, nodeFlags: string[] = []): Promise<CliRun> {
  return runCli(args, { cwd, nodeArgs: nodeFlags, env: { ...process.env, LLM_SANDBOX_CACHE_DIR: cacheDir } });
}

describe("CLI start-up: pre-started thread, start hints, V8 wasm flags, zod without its JIT", () => {
  let dir: string;
  let cacheDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-start-hint-"));
    cacheDir = join(dir, "cache");
    await writeFile(join(dir, "hello.lua"), 'print("hello")\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("saves what a run loaded, and the next process runs from it with the same result", async () => {
    // Deterministic, so the fuel must match too (Lua seeds its string hashes from the clock otherwise).
    const first = await cli(["run", "--deterministic", "hello.lua"], dir, cacheDir);
    expect(first.stdout).toBe("hello\n");
    const hint = JSON.parse(readFileSync(join(cacheDir, "start-hints", "lua.json"), "utf8")) as { images: { name: string; cacheDir: string }[]; drivers: string[] };
    expect(hint.images.map((i) => [i.name, i.cacheDir])).toEqual([[expect.stringMatching(/\.wasm$/), cacheDir]]);
    expect(hint.drivers).toEqual([expect.stringMatching(/^file:.*runtime-lua|^file:.*runtimes\/lua/)]);
    const second = await cli(["run", "--deterministic", "hello.lua"], dir, cacheDir);
    expect(second).toMatchObject({ code: 0, stdout: "hello\n" });
    expect(second.stderr).toMatch(/lua · exit 0 · fuel [\d,]+/);
    expect(second.stderr.replace(/· \d+ ms/, "")).toBe(first.stderr.replace(/· \d+ ms/, ""));
  });

  it("a forged start hint cannot make the CLI import a module or run anything else", async () => {
    const marker = join(dir, "imported.txt");
    const evil = join(dir, "evil-driver.js");
    await writeFile(evil, `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "x"); export default () => 0;\n`);
    await writeFile(join(dir, "not-wasm.wasm"), "not a module");
    const image = (path: string) => ({
      source: { path },
      name: "lua-glue.wasm",
      cacheDir,
      options: { exportMutableGlobals: false, keepNameSection: true },
      known: [],
      transform: { id: "evil", module: pathToFileURL(evil).href },
      snapshot: { dir: cacheDir, driver: pathToFileURL(evil).href, parts: { meterVersion: 1, runtime: "x", specKey: "k", driverData: null } },
    });
    await writeFile(
      join(cacheDir, "start-hints", "lua.json"),
      JSON.stringify({ format: 1, images: [image(join(dir, "not-wasm.wasm")), image("/nonexistent.wasm")], drivers: [pathToFileURL(evil).href] }),
    );
    const run = await cli(["run", "hello.lua"], dir, cacheDir);
    expect(run).toMatchObject({ code: 0, stdout: "hello\n" });
    expect(existsSync(marker)).toBe(false);
    // The run replaced the forged hint with what it loaded.
    expect(readFileSync(join(cacheDir, "start-hints", "lua.json"), "utf8")).not.toContain("evil");
  });

  it("a short program queues no TurboFan compile (the exit would wait for it), and node's own --wasm-tiering-budget wins", async () => {
    // V8 prints a line per compiled function with this flag; the process's exit waits for
    // the background compile queue, so every queued function is printed before it ends.
    const turbofan = (stdout: string) => stdout.split("\n").filter((line) => line.includes("using TurboFan")).length;
    // The pre-started thread sets the budget once booted: with a start hint, and without
    // one (a new cache directory: the first run instruments, then compiles).
    for (const cache of [cacheDir, join(dir, "cache-without-hints")]) {
      const cliRun = await cli(["run", "hello.lua"], dir, cache, ["--trace-wasm-compilation-times"]);
      expect(cliRun.code).toBe(0);
      expect(cliRun.stdout).toContain("hello\n");
      expect(turbofan(cliRun.stdout)).toBe(0);
    }
    const v8Default = await cli(["run", "hello.lua"], dir, cacheDir, ["--trace-wasm-compilation-times", "--wasm-tiering-budget=1800000"]);
    expect(v8Default.code).toBe(0);
    expect(turbofan(v8Default.stdout)).toBeGreaterThan(0);
  });

  it("an invalid module of the user's own is refused before it runs, with V8's message naming the function", async () => {
    // `_start` calls proc_exit(7); function #2, never called, does not validate. Validated
    // lazily, the run would exit 7, and V8's message would not name function #2.
    const str = (s: string) => [s.length, ...Buffer.from(s)];
    const section = (id: number, body: number[]) => [id, body.length, ...body];
    const vec = (items: number[][]) => [items.length, ...items.flat()];
    const module = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...section(1, vec([[0x60, 1, 0x7f, 0], [0x60, 0, 0]])),
      ...section(2, vec([[...str("wasi_snapshot_preview1"), ...str("proc_exit"), 0x00, 0]])),
      ...section(3, vec([[1], [1]])),
      ...section(5, vec([[0x00, 1]])),
      ...section(7, vec([[...str("_start"), 0x00, 1], [...str("memory"), 0x02, 0]])),
      ...section(10, vec([[6, 0, 0x41, 7, 0x10, 0, 0x0b], [3, 0, 0x6a, 0x0b]])),
    ];
    await writeFile(join(dir, "invalid.wasm"), new Uint8Array(module));
    const run = await cli(["run", "invalid.wasm"], dir, cacheDir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("InvalidModule: Compiling function #2 failed");
    expect(run.stderr).toMatch(/wasm · exit 1 · fuel 0 /);
  });

  it("reports a bad option exactly as createSandbox does: same typed error, same zod message", async () => {
    const run = await cli(["run", "--memory", "10", "hello.lua"], dir, cacheDir);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    const error = await createSandbox({ runtime: "lua", policy: { memoryBytes: 10 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect(run.stderr.trim()).toBe((error as PolicyValidationError).message);
    expect(run.stderr).toContain("memoryBytes");
  });
});
