/**
 * Mass deletes (host immunity, issue 13.2): a guest creates 10k files in one run and
 * removes them in the next. Planning that commit walks the session's listing and the
 * guest's changes; it happens in the worker (RawRun.plan), so the host's main thread only
 * moves the listing and applies the plan — it must stay responsive throughout.
 */
import { describe, expect, it } from "vitest";
import { createSandbox, listSessionFiles, memoryStorage, writeSessionFile } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

// 10k: the quadratic plan of issue 13.2 (10.3 s blocked at 40k, one key scan per delete) would
// still block the main thread ~0.65 s here, well over the ceiling; the linear work that is left on
// the main thread (moving the listing, applying the plan) stays under it unless the machine is
// heavily oversubscribed.
const FILES = 10_000;

/** Per runtime: create FILES small files in /app/many, then remove each of them. */
const programs: Record<string, { create: string; remove: string }> = {
  python: {
    create: `import os\nos.mkdir('/app/many')\nfor i in range(${FILES}): open(f'/app/many/f{i}', 'w').write('x')`,
    remove: `import os\nfor i in range(${FILES}): os.remove(f'/app/many/f{i}')`,
  },
  javascript: {
    create: `for (let i = 0; i < ${FILES}; i++) writeText("/app/many/f" + i, "x")`,
    remove: `for (let i = 0; i < ${FILES}; i++) removeFile("/app/many/f" + i)`,
  },
  ruby: {
    create: `Dir.mkdir('/app/many')\n${FILES}.times { |i| File.write("/app/many/f#{i}", 'x') }`,
    remove: `${FILES}.times { |i| File.delete("/app/many/f#{i}") }`,
  },
  lua: {
    create: `for i = 0, ${FILES - 1} do local f = assert(io.open('/app/many/f' .. i, 'w')) f:write('x') f:close() end`,
    remove: `for i = 0, ${FILES - 1} do assert(os.remove('/app/many/f' .. i)) end`,
  },
  wasm: { create: wasmOverFiles("create"), remove: wasmOverFiles("remove") },
};

/** A WASI command that creates (path_open O_CREAT, fd_close) or removes (path_unlink_file) /app/many/f00000… through the /app preopen (fd 3). */
function wasmOverFiles(what: "create" | "remove"): string {
  const op =
    what === "create"
      ? `(br_if $fail (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 11) (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
        (br_if $fail (call $fd_close (i32.load (i32.const 16))))`
      : `(br_if $fail (call $path_unlink_file (i32.const 3) (i32.const 64) (i32.const 11)))`;
  return `(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "many/f00000")
  (func (export "_start") (local $i i32) (local $n i32) (local $p i32)
    (block $fail
      (loop $file
        ;; five decimal digits of $i at bytes 70..74
        (local.set $n (local.get $i))
        (local.set $p (i32.const 75))
        (loop $digit
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
          (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
          (br_if $digit (i32.gt_u (local.get $p) (i32.const 70))))
        ${op}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $file (i32.lt_u (local.get $i) (i32.const ${FILES}))))
      (return))
    (call $proc_exit (i32.const 1))))`;
}

// Explicit budgets: fuel is plenty for 40k file operations, so only success can end the runs.
const policy = { fuelBudget: 50_000_000_000, timeoutMs: 120_000 };

describe.each(Object.keys(programs))("mass delete (%s)", (runtime) => {
  const program = programs[runtime] as (typeof programs)[string];

  it(`creates ${FILES} files, deletes them all in the next run, and the main thread stays responsive`, { timeout: 300_000 }, async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime, storage, policy });
    // Lua has no mkdir (and the WASI program makes none): the directory comes from the host side of the session.
    const keep = runtime === "lua" || runtime === "wasm";
    if (keep) await writeSessionFile(sb.sessionId, "many/.keep", "", { storage });
    const created = await sb.execute(program.create);
    expect(created.success, created.stderr).toBe(true);
    expect(created.filesCreated.length).toBeGreaterThanOrEqual(FILES);

    const { result: removed, maxDelayMs } = await watchEventLoop(() => sb.execute(program.remove));
    expect(removed.success, removed.stderr).toBe(true);
    expect(removed.filesDeleted).toHaveLength(FILES);
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
    const left = await listSessionFiles(sb.sessionId, { storage });
    expect(left.filter((f) => f.type === "file" && f.path.startsWith("many/")).map((f) => f.path)).toEqual(keep ? ["many/.keep"] : []);
  });
});
