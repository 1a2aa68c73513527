/**
 * Test helpers: guest modules written in WAT that follow the meter's conventions by hand
 * (imported memory, `__llm_fuel`, `__llm_grow_failed`), an in-memory workspace that
 * counts reads, and default limits. The meter itself is tested in src/meter.
 */
import { parse } from "@bytecodealliance/jco";
import { FileNotFoundError, type WorkspaceEntry, type WorkspaceSource } from "@llm-wasm-sandbox/core";
import type { MeteredImage, RunLimits, RunOptions } from "../src/types.js";

/** Limits generous enough for tiny modules; override per test. */
export function testLimits(overrides: Partial<RunLimits> = {}): RunLimits {
  return {
    fuelBudget: 1_000_000_000,
    memoryBytes: 16 * 1024 * 1024,
    stdoutMaxBytes: 64 * 1024,
    stderrMaxBytes: 64 * 1024,
    timeoutMs: 10_000,
    deterministic: false,
    randomSeed: 1,
    ...overrides,
  };
}

/** Compiles WAT into an image shaped like loadModule's output. */
export async function watImage(name: string, wat: string, initialPages = 1): Promise<MeteredImage> {
  const bytes = await parse(wat);
  return {
    name,
    hash: "test",
    module: await WebAssembly.compile(new Uint8Array(bytes)),
    memory: { module: "env", name: "memory", initialPages, maximumPages: null },
    fuelExport: "__llm_fuel",
    growFailedExport: "__llm_grow_failed",
  };
}

/** The preamble every test module shares: WASI imports, memory, the meter's globals. */
export const PRELUDE = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "memory" (memory 1))
  (global $fuel (export "__llm_fuel") (mut i64) (i64.const 0))
  (global $grow_failed (export "__llm_grow_failed") (mut i32) (i32.const 0))
  ;; iovec at 0: (ptr, len); nwritten/nread at 8; fd out at 12; data from 64.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; What the meter inserts per block: subtract, trap when negative.
  (func $burn (param $n i64)
    (global.set $fuel (i64.sub (global.get $fuel) (local.get $n)))
    (if (i64.lt_s (global.get $fuel) (i64.const 0)) (then unreachable)))
`;

/** A module whose `_start` runs `body` with PRELUDE and `data` segments in scope. */
export function command(body: string, data = ""): string {
  return `(module ${PRELUDE} ${data} (func (export "_start") ${body}))`;
}

/** An in-memory WorkspaceSource that records which files were read. */
export function memoryWorkspace(files: Record<string, string | Uint8Array> = {}): WorkspaceSource & { reads: string[] } {
  const bytes = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(files)) bytes.set(path, typeof content === "string" ? new TextEncoder().encode(content) : content);
  const entries: WorkspaceEntry[] = [...bytes].map(([path, data]) => ({ path, type: "file", size: data.length, mtimeMs: 0 }));
  const reads: string[] = [];
  return {
    entries,
    reads,
    async read(path) {
      reads.push(path);
      const data = bytes.get(path);
      if (data === undefined) throw new FileNotFoundError("test-session", path);
      return data;
    },
  };
}

/** RunOptions with empty argv/env/mounts and the test limits. */
export function runOptions(image: MeteredImage, overrides: Partial<RunOptions> = {}): RunOptions {
  return { image, argv: [image.name], env: {}, workspace: memoryWorkspace(), mounts: [], limits: testLimits(), ...overrides };
}

/** UTF-8 text as a WAT data string with escapes. */
export function watString(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}
