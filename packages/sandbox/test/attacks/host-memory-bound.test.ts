/**
 * Host memory per run is bounded by a formula of the policy (wasi-host README, "Host
 * memory per run"). Each case runs a hostile program in a child process — a fresh host,
 * so the parent's heap and other tests' workers stay out of the measurement — that
 * presses every term at once: the guest memory cap, /tmp written to maxWorkspaceBytes,
 * symlinks with long targets to maxMetadataBytes, and invalid UTF-8 past both output caps.
 * The child reports how far its RSS rose above the level after a warm-up run; that must
 * stay under the formula, and above the terms the attack was sure to fill (or the attack
 * did not press). No wall-time assertions.
 */
import { execFile } from "node:child_process";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolvePolicy, type ExecutionPolicy } from "@llm-wasm-sandbox/core";
import { DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_WORKSPACE_BYTES } from "@llm-wasm-sandbox/wasi-host";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIND_TMP_PREOPEN, symlinkFlood } from "./wat-fragments.js";

const MiB = 1024 * 1024;

/** Per-run constant of the formula: worker bookkeeping, guest facts (≤ 4 MiB), the program text, GC slack. */
const RUN_CONSTANT_BYTES = 64 * MiB;

/**
 * The documented upper bound of the host memory one run can make the host hold (beyond the
 * files it reads from its session and from host-directory mounts, each capped on its own).
 */
function hostMemoryBound(p: ExecutionPolicy): number {
  return p.memoryBytes + 1.5 * DEFAULT_MAX_WORKSPACE_BYTES + DEFAULT_MAX_METADATA_BYTES + 3 * (p.stdoutMaxBytes + p.stderrMaxBytes) + RUN_CONSTANT_BYTES;
}

const CHILD = fileURLToPath(new URL("./fixtures/host-memory-child.mjs", import.meta.url));
const policyInput = { memoryBytes: 256 * MiB, fuelBudget: 100_000_000_000, timeoutMs: 300_000 };
const policy = resolvePolicy(policyInput);

interface ChildReport {
  readonly growthBytes: number;
  readonly success: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "host-memory-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function measure(runtime: string, program: string): Promise<ChildReport> {
  const file = join(dir, `${runtime}.program`);
  await writeFile(file, program);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["--expose-gc", CHILD, runtime, JSON.stringify(policyInput), file], { maxBuffer: 16 * MiB }, (err, out, errText) =>
      err ? reject(new Error(`${String(err)}\n${errText}`)) : resolve(out),
    ),
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildReport;
}

/** Python: fill the memory cap, /tmp to ENOSPC, symlinks to ENOSPC, 3 MB of invalid UTF-8 on each stream. */
const PYTHON = `
import errno, os, sys
hog = []
try:
    while True: hog.append(bytearray(b"\\xff") * (8 << 20))
except MemoryError:
    pass
del hog[-3:]  # room for the interpreter's own allocations in the steps below
chunk = b"x" * (1 << 20)
try:
    with open("/tmp/big", "wb", buffering=0) as f:
        while True: f.write(chunk)
except OSError as e:
    print("FILE", errno.errorcode.get(e.errno))
t, n = "/" + "a" * 3999, 0
try:
    while True:
        os.symlink(t, f"/tmp/s{n}"); n += 1
except OSError as e:
    print("LINKS", errno.errorcode.get(e.errno))
sys.stdout.flush()
out = b"\\xff" * 3_000_000
for fd in (1, 2):
    v = memoryview(out)
    while v: v = v[os.write(fd, v):]`;

/** Raw WASI, the same four steps with no interpreter in between. */
const WASM = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $prestat_name (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "s0000000")
  (data (i32.const 80) "big")
  (data (i32.const 96) "FILE ENOSPC\\nLINKS ENOSPC\\n")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func (export "_start") (local $tmp i32) (local $fd i32) (local $i i32) (local $n i32) (local $p i32) (local $err i32)
    ;; the whole memory cap, every page touched
    (block $full (loop $grow (br_if $full (i32.eq (memory.grow (i32.const 16)) (i32.const -1))) (br $grow)))
    (memory.fill (i32.const 65536) (i32.const 255) (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 65536)))
${FIND_TMP_PREOPEN}
    ;; /tmp/big in 1 MiB writes until an errno (51: ENOSPC)
    (drop (call $path_open (local.get $tmp) (i32.const 0) (i32.const 80) (i32.const 3) (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
    (local.set $fd (i32.load (i32.const 16)))
    (loop $chunk
      (local.set $err (call $write (local.get $fd) (i32.const 65536) (i32.const 1048576)))
      (br_if $chunk (i32.eqz (local.get $err))))
    (if (i32.eq (local.get $err) (i32.const 51)) (then (drop (call $write (i32.const 1) (i32.const 96) (i32.const 12)))))
    ;; symlinks with 4000-byte targets until an errno
${symlinkFlood(4000)}
    (if (i32.eq (local.get $err) (i32.const 51)) (then (drop (call $write (i32.const 1) (i32.const 108) (i32.const 13)))))
    ;; 3 MB of 0xff on each stream (the memory is full of them)
    (drop (call $write (i32.const 1) (i32.const 65536) (i32.const 3000000)))
    (drop (call $write (i32.const 2) (i32.const 65536) (i32.const 3000000)))))`;

describe("host memory per run stays under the documented bound", () => {
  it.each([
    ["python", PYTHON],
    ["wasm", WASM],
  ])("%s: memory cap, workspace cap, metadata cap and both output caps at once", { timeout: 600_000 }, async (runtime, program) => {
    const r = await measure(runtime, program);
    if (process.env.ATTACK_DEBUG) console.log(runtime, r.growthBytes / MiB, "MiB of", hostMemoryBound(policy) / MiB);
    expect(r.success, r.stderr).toBe(true);
    // The attack pressed every limit it was after...
    expect(r.stdout).toContain("FILE ENOSPC\nLINKS ENOSPC\n");
    expect(r.stdoutBytes).toBeGreaterThan(policy.stdoutMaxBytes - 3);
    expect(r.stderrBytes).toBeGreaterThan(policy.stderrMaxBytes - 3);
    expect(r.growthBytes).toBeGreaterThan(policy.memoryBytes / 2 + DEFAULT_MAX_WORKSPACE_BYTES);
    // ...and the host held no more than the formula grants.
    expect(r.growthBytes).toBeLessThan(hostMemoryBound(policy));
  });
});
