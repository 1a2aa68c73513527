import { MessageChannel } from "node:worker_threads";
import type { Piscina } from "piscina";
import { assertMountLayout, type RawRun } from "@llm-wasm-sandbox/core";
import { messageOf, stopNotice, type TrapClassification } from "../classify-trap.js";
import { FLAG_BYTES, MEMORY_PAGES } from "../lazy-read/protocol.js";
import { serveLazyReads } from "../lazy-read/lazy-read-server.js";
import { resolveBuiltFile } from "../resolve-built-file.js";
import type { RunOptions } from "../types.js";
import { allocateSharedOutput, readSharedOutput } from "./shared-output.js";
import type { WorkerOutcome, WorkerTask } from "./task.js";

const PAGE = 65_536;
let defaultDriver: string | null = null;

/**
 * Runs one execution on `piscina`: serves lazy reads while it runs, enforces the wall
 * clock (from the moment the worker starts the guest) and the caller's AbortSignal by
 * aborting the task, which terminates the worker thread, and assembles the RawRun.
 *
 * A run stopped by the wall clock or the caller loses what only the worker knew: fuel
 * consumed is reported as 0, memory as the size last recorded (at instantiation), and
 * the journal is empty (nothing of a stopped run is committed). Output printed before
 * the stop is kept (it lives in shared memory).
 */
export async function dispatchRun(piscina: Piscina<WorkerTask, WorkerOutcome>, options: RunOptions): Promise<RawRun> {
  // The caller's mounts and the runtime's own must all fit (none at /, /tmp, or nested):
  // found out in the worker, a clash failed every run as a host error.
  assertMountLayout(options.mounts.map((m, i) => ({ guestPath: m.guestPath, source: `mounts[${i}]` })), "run mounts");
  const started = performance.now();
  const { limits } = options;
  const { port1, port2 } = new MessageChannel();
  const flags = new SharedArrayBuffer(FLAG_BYTES);
  const stdout = allocateSharedOutput(limits.stdoutMaxBytes);
  const stderr = allocateSharedOutput(limits.stderrMaxBytes);
  const abort = new AbortController();
  let stop: "timeout" | "cancelled" | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopWith = (reason: "timeout" | "cancelled"): void => {
    stop ??= reason;
    abort.abort(reason);
  };
  const server = serveLazyReads({
    port: port1,
    flag: flags,
    workspace: options.workspace,
    onStarted: () => {
      timer = setTimeout(() => stopWith("timeout"), limits.timeoutMs);
    },
  });
  const onCallerAbort = (): void => stopWith("cancelled");
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  if (options.signal?.aborted === true) stopWith("cancelled");

  const task: WorkerTask = {
    module: options.image.module,
    image: imageMeta(options),
    driver: options.driver ?? builtInDriver(),
    driverData: options.driverData ?? null,
    argv: options.argv,
    env: options.env,
    stdin: options.stdin ?? null,
    entries: options.workspace.entries,
    mounts: options.mounts,
    seedFiles: options.seedFiles ?? {},
    limits,
    port: port2,
    flags,
    stdout,
    stderr,
  };

  let outcome: WorkerOutcome;
  try {
    outcome = await piscina.run(task, { transferList: [port2], signal: abort.signal });
  } catch (error) {
    const lastPages = Atomics.load(new Int32Array(flags), MEMORY_PAGES);
    const trap: TrapClassification =
      stop === "timeout"
        ? { reason: "timeout", message: `wall-clock limit of ${limits.timeoutMs} ms exceeded` }
        : stop === "cancelled"
          ? { reason: "cancelled", message: "cancelled by the caller" }
          : { reason: "host_error", message: `worker failed: ${messageOf(error)}` };
    outcome = { exitCode: -1, trap, fuelConsumed: 0, memoryUsedBytes: lastPages * PAGE, journal: { entries: [] } };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onCallerAbort);
    server.close();
  }
  return assemble(outcome, stdout, stderr, options, performance.now() - started);
}

function assemble(
  outcome: WorkerOutcome,
  stdoutBuffer: SharedArrayBuffer,
  stderrBuffer: SharedArrayBuffer,
  options: RunOptions,
  durationMs: number,
): RawRun {
  const out = readSharedOutput(stdoutBuffer);
  const err = readSharedOutput(stderrBuffer);
  const trap = outcome.trap;
  // The notice goes after the (capped) guest output: it is the host speaking, and must
  // survive even when the guest filled stderr to its cap.
  const stderr = trap === null ? err.text : `${err.text}${needsNewline(err.text)}${stopNotice(trap, options.limits)}`;
  return {
    exitCode: outcome.exitCode,
    trapReason: trap?.reason ?? null,
    trapMessage: trap?.message ?? null,
    stdout: out.text,
    stderr,
    stdoutTruncated: out.truncated,
    stderrTruncated: err.truncated,
    fuelConsumed: outcome.fuelConsumed,
    memoryUsedBytes: outcome.memoryUsedBytes,
    durationMs,
    journal: outcome.journal,
    ...(outcome.unjournaled?.length ? { notes: [unjournaledNote(outcome.unjournaled)] } : {}),
  };
}

function unjournaledNote(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).map((p) => `/app/${p.length > 80 ? `${p.slice(0, 77)}...` : p}`);
  return `${paths.length} path(s) in /app were nested too deeply to be saved (longer than 1024 characters) and were not kept: ${shown.join(", ")}${paths.length > 3 ? ", …" : ""}`;
}

function needsNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? "" : "\n";
}

function imageMeta(options: RunOptions): WorkerTask["image"] {
  const { name, hash, memory, fuelExport, growFailedExport } = options.image;
  return { name, hash, memory, fuelExport, growFailedExport };
}

function builtInDriver(): string {
  defaultDriver ??= resolveBuiltFile(import.meta.url, "drivers/wasi-command.js");
  return defaultDriver;
}
