/**
 * The pool and run() with hand-written guests: exit codes, traps, limits and the host's
 * survival. Needs the built worker: `npx turbo run build --filter=@llm-wasm-sandbox/wasi-host...`.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createWorkerPool } from "../src/pool/worker-pool.js";
import { run } from "../src/run.js";
import { command, memoryWorkspace, runOptions, testLimits, watImage, watString } from "./helpers.js";

const pool = createWorkerPool({ size: 2 });
afterAll(() => pool.close());

/** Opens /app/<name> (fd 3 is /app), reads up to 100 bytes, exits with fd_read's errno. */
const READ_FIRST_BYTES = (name: string): string =>
  command(
    `(drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 200) (i32.const ${name.length}) (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 12)))
     (i32.store (i32.const 0) (i32.const 1024)) (i32.store (i32.const 4) (i32.const 100))
     (call $proc_exit (call $fd_read (i32.load (i32.const 12)) (i32.const 0) (i32.const 1) (i32.const 8)))`,
    `(data (i32.const 200) "${name}")`,
  );

/** Copies /app/<name> (up to 100 bytes) to stdout. */
const CAT = (name: string): string =>
  command(
    `(drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 200) (i32.const ${name.length}) (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 12)))
     (i32.store (i32.const 0) (i32.const 1024)) (i32.store (i32.const 4) (i32.const 100))
     (drop (call $fd_read (i32.load (i32.const 12)) (i32.const 0) (i32.const 1) (i32.const 8)))
     (call $write (i32.const 1) (i32.const 1024) (i32.load (i32.const 8)))`,
    `(data (i32.const 200) "${name}")`,
  );

const HELLO = command(`(call $write (i32.const 1) (i32.const 64) (i32.const 6))`, `(data (i32.const 64) "hello\\n")`);

describe("run on a worker pool", () => {
  it("runs a WASI command and returns its output, fuel and memory", async () => {
    const image = await watImage("hello.wasm", command(`(call $burn (i64.const 42)) (call $write (i32.const 1) (i32.const 64) (i32.const 6))`, `(data (i32.const 64) "hello\\n")`));
    const result = await run(runOptions(image), pool);
    expect(result).toMatchObject({ exitCode: 0, trapReason: null, stdout: "hello\n", stderr: "", stdoutTruncated: false });
    expect(result.fuelConsumed).toBe(42);
    expect(result.memoryUsedBytes).toBe(65_536);
    expect(result.journal.entries).toEqual([]);
  });

  it("maps proc_exit(3) to exit code 3 without a trap", async () => {
    const image = await watImage("exit3.wasm", command(`(call $proc_exit (i32.const 3))`));
    const result = await run(runOptions(image), pool);
    expect(result.exitCode).toBe(3);
    expect(result.trapReason).toBeNull();
  });

  it("classifies an unreachable trap and says so in trapMessage, never in the guest's stderr", async () => {
    const image = await watImage("trap.wasm", command(`(call $write (i32.const 2) (i32.const 64) (i32.const 5)) unreachable`, `(data (i32.const 64) "oops\\n")`));
    const result = await run(runOptions(image), pool);
    expect(result.trapReason).toBe("unreachable");
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe("oops\n");
    expect(result.trapMessage).toMatch(/^WebAssembly trap/);
  });

  it("stops a guest that runs out of fuel and reports the whole budget consumed", async () => {
    const image = await watImage("spin.wasm", command(`(loop $l (call $burn (i64.const 7)) (br $l))`));
    const result = await run(runOptions(image, { limits: testLimits({ fuelBudget: 1_000_000 }) }), pool);
    expect(result.trapReason).toBe("out_of_fuel");
    expect(result.fuelConsumed).toBe(1_000_000);
    expect(result.trapMessage).toContain("out of fuel after 1,000,000 instructions");
  });

  it("survives a trap, an exit and an infinite loop killed by the wall clock, then runs normally", async () => {
    const trap = await watImage("trap.wasm", command(`unreachable`));
    const exit = await watImage("exit3.wasm", command(`(call $proc_exit (i32.const 3))`));
    const forever = await watImage("forever.wasm", command(`(call $burn (i64.const 7)) (call $write (i32.const 1) (i32.const 64) (i32.const 8)) (loop $l (br $l))`, `(data (i32.const 64) "started\\n")`));
    const hello = await watImage("hello.wasm", HELLO);
    expect((await run(runOptions(trap), pool)).trapReason).toBe("unreachable");
    expect((await run(runOptions(exit), pool)).exitCode).toBe(3);
    const stopped = await run(runOptions(forever, { limits: testLimits({ timeoutMs: 300 }) }), pool);
    expect(stopped.trapReason).toBe("timeout");
    // Output printed before the stop survives the terminated worker.
    expect(stopped.stdout).toBe("started\n");
    expect(stopped.trapMessage).toContain("wall-clock timeout after 300 ms");
    // What it spent up to its last write is still reported (22.9: not 0).
    expect(stopped.fuelConsumed).toBe(7);
    const after = await run(runOptions(hello), pool);
    expect(after).toMatchObject({ exitCode: 0, trapReason: null, stdout: "hello\n" });
  });

  it("reports a caller's abort as cancelled", async () => {
    const forever = await watImage("forever.wasm", command(`(loop $l (br $l))`));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await run(runOptions(forever, { signal: controller.signal }), pool);
    expect(result.trapReason).toBe("cancelled");
  });

  it("caps stdout at a character boundary and flags it", async () => {
    const text = "héllo ✓ ".repeat(50);
    const bytes = new TextEncoder().encode(text).length;
    const image = await watImage("loud.wasm", command(`(call $write (i32.const 1) (i32.const 64) (i32.const ${bytes}))`, `(data (i32.const 64) "${watString(text)}")`));
    const result = await run(runOptions(image, { limits: testLimits({ stdoutMaxBytes: 100 }) }), pool);
    expect(result.stdoutTruncated).toBe(true);
    expect(new TextEncoder().encode(result.stdout).length).toBeLessThanOrEqual(100);
    expect(text.startsWith(result.stdout)).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it("refuses to start a module whose initial memory exceeds the cap", async () => {
    const image = await watImage("big.wasm", HELLO, 32);
    const result = await run(runOptions(image, { limits: testLimits({ memoryBytes: 1024 * 1024 }) }), pool);
    expect(result.trapReason).toBe("memory_limit");
    expect(result.trapMessage).toMatch(/needs 2,097,152 bytes of memory at start but memoryBytes is 1,048,576/);
  });

  it("classifies a failure after a refused memory.grow as memory_limit and keeps memory under the cap", async () => {
    // Like a metered allocator: grow fails (-1), the meter flags it, the guest exits 1.
    const image = await watImage(
      "grow.wasm",
      command(`(if (i32.eq (memory.grow (i32.const 1000)) (i32.const -1)) (then (global.set $grow_failed (i32.const 1)) (call $proc_exit (i32.const 1))))`),
    );
    const result = await run(runOptions(image, { limits: testLimits({ memoryBytes: 4 * 65_536 }) }), pool);
    expect(result.exitCode).toBe(1);
    expect(result.trapReason).toBe("memory_limit");
    expect(result.memoryUsedBytes).toBeLessThanOrEqual(4 * 65_536);
  });

  it("reads a workspace file lazily and journals a created file", async () => {
    const image = await watImage(
      "copy.wasm",
      command(
        `(local $fd i32)
         ;; open /app/in.txt for reading (fd 3 is /app), copy to stdout
         (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 200) (i32.const 6) (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 12)))
         (local.set $fd (i32.load (i32.const 12)))
         (i32.store (i32.const 0) (i32.const 1024)) (i32.store (i32.const 4) (i32.const 100))
         (drop (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
         (call $write (i32.const 1) (i32.const 1024) (i32.load (i32.const 8)))
         ;; create /app/out.txt (O_CREAT = 1) and write "done"
         (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 220) (i32.const 7) (i32.const 1) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 12)))
         (call $write (i32.load (i32.const 12)) (i32.const 240) (i32.const 4))`,
        `(data (i32.const 200) "in.txt") (data (i32.const 220) "out.txt") (data (i32.const 240) "done")`,
      ),
    );
    const workspace = memoryWorkspace({ "in.txt": "lazy bytes", "untouched.txt": "never read" });
    const result = await run(runOptions(image, { workspace }), pool);
    expect(result.stdout).toBe("lazy bytes");
    expect(workspace.reads).toEqual(["in.txt"]);
    expect(result.journal.entries).toEqual([{ op: "write", path: "out.txt", data: new TextEncoder().encode("done") }]);
  });

  it("gives the guest EIO when the storage fails, and the host carries on", async () => {
    const image = await watImage("read.wasm", READ_FIRST_BYTES("data.bin"));
    const failing = { entries: [{ path: "data.bin", type: "file" as const, size: 10, mtimeMs: 0 }], read: () => Promise.reject(new Error("disk on fire")) };
    const result = await run(runOptions(image, { workspace: failing }), pool);
    expect(result.trapReason).toBeNull();
    expect(result.exitCode).toBe(29); // WASI errno IO
  });

  it("keeps concurrent runs' lazy reads apart", async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, `content of file ${i}`]));
    const runs = Object.keys(files).map(async (name) => {
      const image = await watImage(name, CAT(name));
      const workspace = memoryWorkspace(files);
      const result = await run(runOptions(image, { workspace }), pool);
      return { name, stdout: result.stdout, reads: workspace.reads };
    });
    for (const { name, stdout, reads } of await Promise.all(runs)) {
      expect(stdout).toBe(files[name]);
      expect(reads).toEqual([name]);
    }
  });

  it("gives the guest ENOENT when the storage lost a listed file, and the host carries on", async () => {
    const image = await watImage("open.wasm", READ_FIRST_BYTES("gone.txt"));
    const workspace = memoryWorkspace();
    const listed = { ...workspace, entries: [{ path: "gone.txt", type: "file" as const, size: 3, mtimeMs: 0 }] };
    const result = await run(runOptions(image, { workspace: listed }), pool);
    expect(result.trapReason).toBeNull();
    // The open is lazy; the first read asks the storage and fails with WASI errno NOENT (44).
    expect(result.exitCode).toBe(44);
    expect(workspace.reads).toEqual(["gone.txt"]);
  });
});
