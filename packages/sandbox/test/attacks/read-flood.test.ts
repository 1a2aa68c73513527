/**
 * Read floods on disk storage: a guest reads many small workspace files (in every runtime). Disk storage
 * reads a run's first few small files synchronously (a guest waiting for a 1 KB file must
 * not wait for thread-pool round trips), but how many files a run reads is the guest's
 * choice, so past QUICK_READS_PER_SNAPSHOT its reads go through the thread pool and the
 * main thread blocks for at most that many disk reads per run, however many it reads.
 * Counted by the pool reads (FileHandle#readFile) the run makes; never timed.
 */
import * as fsp from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QUICK_READS_PER_SNAPSHOT } from "@llm-wasm-sandbox/storage-disk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, diskStorage, writeSessionFile } from "../../src/index.js";

const FILES = 60;

/** Reads /app/f0.txt … f59.txt and prints how many held their own name. */
const READ_ALL: Record<string, string> = {
  python: `print("OK", sum(open(f"/app/f{i}.txt").read() == f"f{i}" for i in range(${FILES})))`,
  javascript: `let n = 0; for (let i = 0; i < ${FILES}; i++) if (readText("/app/f" + i + ".txt") === "f" + i) n++; console.log("OK", n);`,
  lua: `local n = 0 for i = 0, ${FILES - 1} do local f = io.open("/app/f" .. i .. ".txt") if f:read("a") == "f" .. i then n = n + 1 end f:close() end print("OK", n)`,
  ruby: `puts "OK #{(0...${FILES}).count { |i| File.read("/app/f#{i}.txt") == "f#{i}" }}"`,
  wasm: wasmReadAll(),
};

/**
 * A WASI command that opens /app/f0.txt … through the /app preopen (fd 3), reads each
 * and checks it holds its own name, then prints `OK <count>` (exit 1 at the first file
 * that does not).
 */
function wasmReadAll(): string {
  return `(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "f00.txt")
  (data (i32.const 128) "OK ${FILES}\\n")
  (func (export "_start") (local $i i32) (local $len i32)
    (block $fail
      (loop $file
        ;; the name: "f" then $i without leading zero (f0.txt … f59.txt), built at 64
        (if (i32.lt_u (local.get $i) (i32.const 10))
          (then
            (i32.store8 (i32.const 65) (i32.add (i32.const 48) (local.get $i)))
            (i32.store (i32.const 66) (i32.const 0x7478742e)) ;; ".txt"
            (local.set $len (i32.const 6)))
          (else
            (i32.store8 (i32.const 65) (i32.add (i32.const 48) (i32.div_u (local.get $i) (i32.const 10))))
            (i32.store8 (i32.const 66) (i32.add (i32.const 48) (i32.rem_u (local.get $i) (i32.const 10))))
            (i32.store (i32.const 67) (i32.const 0x7478742e))
            (local.set $len (i32.const 7))))
        (br_if $fail (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (local.get $len) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)))
        ;; one iovec at 32: 64 bytes at 256; bytes read at 40
        (i32.store (i32.const 32) (i32.const 256))
        (i32.store (i32.const 36) (i32.const 64))
        (br_if $fail (call $fd_read (i32.load (i32.const 16)) (i32.const 32) (i32.const 1) (i32.const 40)))
        (br_if $fail (call $fd_close (i32.load (i32.const 16))))
        ;; it holds its own name: the name's bytes before ".txt"
        (br_if $fail (i32.ne (i32.load (i32.const 40)) (i32.sub (local.get $len) (i32.const 4))))
        (br_if $fail (i32.ne (i32.load16_u (i32.const 256)) (i32.load16_u (i32.const 64))))
        (if (i32.eq (local.get $len) (i32.const 7))
          (then (br_if $fail (i32.ne (i32.load8_u (i32.const 258)) (i32.load8_u (i32.const 66))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $file (i32.lt_u (local.get $i) (i32.const ${FILES}))))
      (i32.store (i32.const 32) (i32.const 128))
      (i32.store (i32.const 36) (i32.const ${4 + String(FILES).length}))
      (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
      (return))
    (call $proc_exit (i32.const 1))))`;
}

let proto: { readFile: (...args: unknown[]) => Promise<unknown> };
let realReadFile: (...args: unknown[]) => Promise<unknown>;
let poolReads = 0;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "llm-sandbox-read-flood-"));
  const handle = await fsp.open(root, "r");
  proto = Object.getPrototypeOf(handle) as typeof proto;
  await handle.close();
  realReadFile = proto.readFile;
  proto.readFile = function (this: unknown, ...args: unknown[]) {
    poolReads++;
    return realReadFile.apply(this, args);
  };
});
afterAll(async () => {
  proto.readFile = realReadFile;
  await rm(root, { recursive: true, force: true });
});

describe("a guest reading many small files on disk storage blocks the main thread for a bounded number of them", () => {
  for (const [runtime, code] of Object.entries(READ_ALL)) {
    it(`${runtime}: ${FILES} reads in one run, at most ${QUICK_READS_PER_SNAPSHOT} of them synchronous`, async () => {
      const storage = diskStorage({ workspaceRoot: join(root, runtime) });
      const sandbox = await createSandbox({ runtime, storage });
      if (runtime === "wasm") {
        for (let i = 0; i < FILES; i++) await writeSessionFile(sandbox.sessionId, `f${i}.txt`, `f${i}`, { storage });
      } else {
        const seed = await sandbox.execute(seedCode(runtime));
        expect(seed.success, seed.stderr).toBe(true);
      }
      poolReads = 0;
      const r = await sandbox.execute(code);
      expect(r.success, r.stderr).toBe(true);
      expect(r.stdout.trim().split(/\s+/)).toEqual(["OK", String(FILES)]);
      expect(poolReads).toBeGreaterThanOrEqual(FILES - QUICK_READS_PER_SNAPSHOT);
      await storage.close();
    }, 120_000);
  }
});

/** Writes /app/f<i>.txt containing `f<i>` for every i. */
function seedCode(runtime: string): string {
  switch (runtime) {
    case "python":
      return `for i in range(${FILES}): open(f"/app/f{i}.txt", "w").write(f"f{i}")`;
    case "javascript":
      return `for (let i = 0; i < ${FILES}; i++) writeText("/app/f" + i + ".txt", "f" + i)`;
    case "lua":
      return `for i = 0, ${FILES - 1} do local f = io.open("/app/f" .. i .. ".txt", "w") f:write("f" .. i) f:close() end`;
    default:
      return `${FILES}.times { |i| File.write("/app/f#{i}.txt", "f#{i}") }`;
  }
}
