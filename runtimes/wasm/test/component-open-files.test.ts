/**
 * A component's dropped file descriptor ends its open description (issue 13.1): jco
 * calls the host resource's dispose, so an unlinked file stops counting against the
 * 512 MiB workspace cap only then. Kept open, unlinked files keep counting (ENOSPC);
 * closed, their space comes back.
 */
import { readFile } from "node:fs/promises";
import { componentNew, parse, preview1AdapterCommandPath } from "@bytecodealliance/jco";
import { createRuntimeHarness, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { wasmPlugin } from "../src/index.js";

/**
 * A preview1 command that, `files` times: creates /app/f<letter>, writes 64 MiB in 64 KiB
 * chunks, unlinks it, and closes the fd only when `close` is set. At the first write
 * refused, prints `errno 51` for ENOSPC (else `errno other`) and exits non-zero.
 */
function unlinkWhileOpen(files: number, close: boolean): string {
  return `(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $unlink (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (data (i32.const 1024) "fA")
  (data (i32.const 1040) "errno 51\\n")
  (data (i32.const 1056) "errno other\\n")
  (func (export "_start") (local $i i32) (local $j i32) (local $fd i32) (local $err i32)
    (loop $file
      (i32.store8 (i32.const 1025) (i32.add (i32.const 65) (local.get $i)))
      (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 2)
            (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16))
        (then (call $proc_exit (i32.const 2))))
      (local.set $fd (i32.load (i32.const 16)))
      (local.set $j (i32.const 0))
      (loop $chunk
        (i32.store (i32.const 24) (i32.const 65536))
        (i32.store (i32.const 28) (i32.const 65536))
        (local.set $err (call $fd_write (local.get $fd) (i32.const 24) (i32.const 1) (i32.const 32)))
        (if (local.get $err) (then
          (i32.store (i32.const 40) (select (i32.const 1040) (i32.const 1056) (i32.eq (local.get $err) (i32.const 51))))
          (i32.store (i32.const 44) (select (i32.const 9) (i32.const 12) (i32.eq (local.get $err) (i32.const 51))))
          (drop (call $fd_write (i32.const 1) (i32.const 40) (i32.const 1) (i32.const 48)))
          (call $proc_exit (i32.const 1))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $chunk (i32.lt_u (local.get $j) (i32.const 1024))))
      (drop (call $unlink (i32.const 3) (i32.const 1024) (i32.const 2)))
      ${close ? "(drop (call $fd_close (local.get $fd)))" : ""}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $file (i32.lt_u (local.get $i) (i32.const ${files})))))
)`;
}

async function component(wat: string): Promise<string> {
  const adapter = await readFile(preview1AdapterCommandPath());
  return Buffer.from(await componentNew(await parse(wat), [["wasi_snapshot_preview1", new Uint8Array(adapter)]])).toString("base64");
}

let h: RuntimeHarness;
beforeAll(async () => {
  h = await createRuntimeHarness(wasmPlugin);
});

describe("a component's files unlinked while open", () => {
  it("keep counting while the descriptor is held: 12 x 64 MiB unlinked but open hits ENOSPC", async () => {
    const { raw } = await h.run(await component(unlinkWhileOpen(12, false)), { fuelBudget: 50_000_000_000, timeoutMs: 120_000 });
    if (process.env.ATTACK_DEBUG) console.log(raw);
    expect(raw.exitCode).not.toBe(0);
    expect(raw.trapReason).toBeNull();
  }, 180_000);

  it("stop counting once the descriptor is dropped: 12 x 64 MiB written, unlinked and closed all succeed", async () => {
    const { raw } = await h.run(await component(unlinkWhileOpen(12, true)), { fuelBudget: 50_000_000_000, timeoutMs: 120_000 });
    expect(raw.stderr).toBe("");
    expect(raw.exitCode).toBe(0);
  }, 180_000);
});
