/**
 * Session quota across runs: the per-run workspace limits reset every run, so a
 * guest could otherwise grow its session without bound on disk or S3, one run at
 * a time. `maxSessionBytes` / `maxSessionFiles` are enforced at commit: the run
 * that would cross them fails with StorageQuotaError and commits nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, getSessionInfo, listSessionFiles, StorageQuotaError } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";
import { type AttackFixture, createFixture, SMALL_POLICY } from "./helpers.js";

let fx: AttackFixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx.cleanup());

/** Per runtime: a program writing each `[name, bytes]` to /app/<name>, and one creating `count` small files. */
const writers: Record<string, { files: (list: ReadonlyArray<readonly [string, number]>) => string; many: (count: number) => string }> = {
  python: {
    files: (list) => list.map(([name, bytes]) => `open('/app/${name}', 'wb').write(b'x' * ${bytes})`).join("\n"),
    many: (count) => `for i in range(${count}): open(f'/app/m{i}', 'w').write('m')`,
  },
  javascript: {
    files: (list) => list.map(([name, bytes]) => `writeText("/app/${name}", "x".repeat(${bytes}))`).join("\n"),
    many: (count) => `for (let i = 0; i < ${count}; i++) writeText("/app/m" + i, "m")`,
  },
  ruby: {
    files: (list) => list.map(([name, bytes]) => `File.write('/app/${name}', 'x' * ${bytes})`).join("\n"),
    many: (count) => `${count}.times { |i| File.write("/app/m#{i}", 'm') }`,
  },
  lua: {
    files: (list) => list.map(([name, bytes]) => `local f = io.open('/app/${name}', 'w') f:write(string.rep('x', ${bytes})) f:close()`).join("\n"),
    many: (count) => `for i = 0, ${count - 1} do local f = io.open('/app/m' .. i, 'w') f:write('m') f:close() end`,
  },
  wasm: {
    files: (list) => wasmWriter(list),
    many: (count) => wasmWriter(Array.from({ length: count }, (_, i) => [`m${i}`, 1] as const)),
  },
};

/** A WASI command writing each `[name, bytes]` (bytes of "x") to the /app preopen (fd 3), O_CREAT|O_TRUNC. */
function wasmWriter(list: ReadonlyArray<readonly [string, number]>): string {
  const names = list.map(([name], i) => `(data (i32.const ${256 + i * 32}) "${name}")`).join("\n  ");
  const writes = list
    .map(
      ([name, bytes], i) => `(br_if $fail (call $path_open (i32.const 3) (i32.const 0) (i32.const ${256 + i * 32}) (i32.const ${name.length}) (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 65536))
    (i32.store (i32.const 4) (i32.const ${bytes}))
    (br_if $fail (call $fd_write (i32.load (i32.const 16)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (br_if $fail (call $fd_close (i32.load (i32.const 16))))`,
    )
    .join("\n    ");
  return `(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 32)
  ${names}
  (func (export "_start")
    (memory.fill (i32.const 65536) (i32.const 120) (i32.const 1048576))
    (block $fail
    ${writes}
    (return))
    (call $proc_exit (i32.const 1))))`;
}

describe.each(Object.keys(writers))("session quota across runs (%s)", (runtime) => {
  const code = writers[runtime] as (typeof writers)[string];
  const policy = { ...SMALL_POLICY, maxSessionBytes: 1_000_000, maxSessionFiles: 20 };

  it("refuses the run that grows the session past maxSessionBytes, committing none of it", async () => {
    const sb = await createSandbox({ runtime, workspaceRoot: fx.workspaceRoot, policy });
    const first = await sb.execute(code.files([["a.bin", 700_000]]));
    expect(first.success, first.stderr).toBe(true);
    const before = await getSessionInfo(sb.sessionId, { workspaceRoot: fx.workspaceRoot });
    // Each run alone is far under the per-run workspace limit; together they cross the session quota.
    const { result: err, maxDelayMs } = await watchEventLoop(() =>
      sb.execute(code.files([["b.bin", 700_000], ["a.bin", 400_000]])).catch((e: unknown) => e),
    );
    expect(StorageQuotaError.isInstance(err), String(err)).toBe(true);
    expect(err).toMatchObject({ unit: "bytes", quotaBytes: 1_000_000, sessionId: sb.sessionId });
    // Nothing of the refused run landed: not b.bin, not the rewrite of a.bin.
    const files = await listSessionFiles(sb.sessionId, { workspaceRoot: fx.workspaceRoot });
    expect(files.filter((f) => f.type === "file").map((f) => [f.path, f.size])).toEqual([["a.bin", 700_000]]);
    expect(await getSessionInfo(sb.sessionId, { workspaceRoot: fx.workspaceRoot })).toEqual(before);
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
    // The session stays usable: a run that shrinks it is accepted.
    const shrink = await sb.execute(code.files([["a.bin", 10]]));
    expect(shrink.filesModified).toEqual(["a.bin"]);
  });

  it("refuses the run that creates more files than maxSessionFiles", async () => {
    const sb = await createSandbox({ runtime, workspaceRoot: fx.workspaceRoot, policy });
    const err = await sb.execute(code.many(25)).catch((e: unknown) => e);
    expect(err).toMatchObject({ unit: "files", quotaBytes: 20 });
    expect(await listSessionFiles(sb.sessionId, { workspaceRoot: fx.workspaceRoot })).toEqual([]);
  });
});
