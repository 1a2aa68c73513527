/**
 * Entry floods: a guest creates entries whose names and link targets the host must hold —
 * symlinks with 4000-byte targets (Python, Ruby, raw WASI) or files with 250-byte names
 * (every runtime can) — in /tmp, so nothing reaches storage. They are charged to
 * maxMetadataBytes (256 MiB), so ENOSPC comes long before the 1M-entry cap. Before, a raw
 * WASI guest held ~870 MiB of host memory with 200k symlinks on 0.6 % of the default fuel.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_METADATA_BYTES, ENTRY_HOST_BYTES } from "@llm-wasm-sandbox/wasi-host";
import { createSandbox, memoryStorage } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";
import { FIND_TMP_PREOPEN, symlinkFlood } from "./wat-fragments.js";

const TARGET = 4000;
const NAME = 250;
const policy = { fuelBudget: 100_000_000_000, timeoutMs: 240_000 };

/** Each program creates entries until an error and prints `MADE <count> ERR <ENOSPC or the error>`. */
const ATTACKS: Record<string, { kind: "symlink" | "file"; code: string }> = {
  python: {
    kind: "symlink",
    code: `
import errno, os
t, n, err = "/" + "a" * ${TARGET - 1}, 0, None
while err is None:
    try:
        os.symlink(t, f"/tmp/s{n}"); n += 1
    except OSError as e:
        err = errno.errorcode.get(e.errno, e.errno)
print("MADE", n, "ERR", err)`,
  },
  ruby: {
    kind: "symlink",
    code: `
t = "/" + "a" * ${TARGET - 1}; n = 0; err = nil
until err
  begin
    File.symlink(t, "/tmp/s#{n}"); n += 1
  rescue SystemCallError => e
    err = e.is_a?(Errno::ENOSPC) ? "ENOSPC" : e.class.name
  end
end
puts "MADE #{n} ERR #{err}"`,
  },
  lua: {
    kind: "file",
    code: `
local n, err = 0, nil
local pad = string.rep("x", ${NAME - 8})
while not err do
  local f, e = io.open(string.format("/tmp/%s%08d", pad, n), "w")
  if f then f:close() n = n + 1 else err = e:find("space") and "ENOSPC" or e end
end
print("MADE " .. n .. " ERR " .. err)`,
  },
  javascript: {
    kind: "file",
    code: `
let n = 0, err = null;
const pad = "x".repeat(${NAME - 8});
while (err === null) {
  try { writeText("/tmp/" + pad + String(n).padStart(8, "0"), ""); n++ } catch (e) { err = e.code ?? String(e) }
}
console.log("MADE " + n + " ERR " + err);`,
  },
  wasm: { kind: "symlink", code: wasmSymlinkFlood() },
};

/** path_symlink of a TARGET-byte target as /tmp/s0000000, s0000001, … until an errno; prints MADE <n> ERR <errno>. */
function wasmSymlinkFlood(): string {
  return `(module
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $prestat_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "s0000000")
  (data (i32.const 100) "MADE ")
  (data (i32.const 110) " ERR ")
  (data (i32.const 120) "\\n")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $number (param $n i32) (local $p i32)
    (local.set $p (i32.const 2000))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $print (local.get $p) (i32.sub (i32.const 2000) (local.get $p))))
  (func (export "_start") (local $tmp i32) (local $i i32) (local $n i32) (local $p i32) (local $err i32)
${FIND_TMP_PREOPEN}
${symlinkFlood(TARGET)}
    (call $print (i32.const 100) (i32.const 5))
    (call $number (local.get $i))
    (call $print (i32.const 110) (i32.const 5))
    ;; WASI errno 51 is ENOSPC.
    (call $number (local.get $err))
    (call $print (i32.const 120) (i32.const 1))))`;
}

describe.each(Object.keys(ATTACKS))("entry flood (%s)", (runtime) => {
  const { kind, code } = ATTACKS[runtime]!;
  it(`${kind === "symlink" ? `symlinks with ${TARGET}-byte targets` : `files with ${NAME}-byte names`} until the host says no: ENOSPC at maxMetadataBytes`, { timeout: 300_000 }, async () => {
    const sb = await createSandbox({ runtime, storage: memoryStorage(), policy });
    // Warm first: the first run of a runtime in a process loads its package on the main thread.
    await sb.execute(runtime === "wasm" ? '(module (memory 1) (func (export "_start")))' : "");
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(code));
    const m = /MADE (\d+) ERR (\S+)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr.slice(-500)).not.toBeNull();
    expect(m![2]).toBe(runtime === "wasm" ? "51" : "ENOSPC");
    // Each entry is charged at least its overhead and its name (and target); the cap binds near its value.
    const perEntry = ENTRY_HOST_BYTES + 2 * (kind === "symlink" ? TARGET + 2 : NAME);
    const made = Number(m![1]);
    expect(made).toBeLessThanOrEqual(DEFAULT_MAX_METADATA_BYTES / perEntry);
    expect(made).toBeGreaterThan((DEFAULT_MAX_METADATA_BYTES / (perEntry + 40)) * 0.95);
    expect(r.filesCreated).toEqual([]);
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
    await sb.close();
  });
});
