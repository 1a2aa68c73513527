import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { RawRun } from "@llm-wasm-sandbox/core";
import { assertMountLayout } from "@llm-wasm-sandbox/core/mount-layout";
import { describeStop, messageOf, type TrapClassification } from "../classify-trap.js";
import { serveChannel } from "../channel/channel-server.js";
import { FLAG_BYTES, FUEL_SPENT, markResultTaken, MEMORY_PAGES, msSinceStart, PREWARMED } from "../channel/protocol.js";
import { PACKAGE_NAME, resolveBuiltFile, THREAD_DIR } from "../resolve-built-file.js";
import type { MemoryImage } from "../snapshot/memory-image.js";
import type { RunOptions } from "../types.js";
import { allocateSharedOutput, createOutputTail, readSharedOutput } from "./shared-output.js";
import type { WorkerOutcome, WorkerTask } from "./task.js";
import { TaskUnreadError } from "./thread-pool.js";

const PAGE = 65_536;
/** How often output is passed to `onOutput` while a run is in flight. */
const STREAM_INTERVAL_MS = 25;
let defaultDriver: string | null = null;

/** A finished dispatch: the run, and the image a snapshot run's driver saved. */
export interface Dispatched {
  readonly raw: RawRun;
  readonly snapshot: MemoryImage | null;
  /**
   * True when the worker's task completed (it was not stopped, nor did the thread fail):
   * nothing of that task writes to the run's buffers any more.
   */
  readonly completed: boolean;
}

/**
 * Runs one execution on `threads` (the pool's, or a warm session's thread): serves lazy reads and host calls while it runs,
 * streams output, enforces the wall clock (from the moment the worker starts the guest,
 * see `wallClock`) and the caller's AbortSignal by aborting the task, which terminates
 * the worker thread, and assembles the RawRun.
 *
 * A run stopped by the wall clock or the caller loses what only the worker knew: fuel
 * consumed is what the worker last recorded (it records whenever it is in control — output,
 * host calls, lazy reads, sleeps), memory the size last recorded, and the journal is empty (nothing of
 * a stopped run is committed). Output printed before the stop is kept (shared memory).
 * `buffers` is that shared memory (default: allocated for this run). `channel` is a port
 * whose other end the thread already holds, to serve the run's reads and calls on
 * (default: a new channel whose port goes with the task).
 */
export async function dispatchRun(
  threads: TaskRunner,
  options: RunOptions,
  snapshotRun = false,
  buffers: RunBuffers = allocateRunBuffers(options.limits),
  channel: MessagePort | null = null,
): Promise<Dispatched> {
  // The caller's mounts and the runtime's own must all fit (none at /, /tmp, or nested):
  // found out in the worker, a clash failed every run as a host error.
  assertMountLayout(options.mounts.map((m, i) => ({ guestPath: m.guestPath, source: `mounts[${i}]` })), "run mounts");
  const started = performance.now();
  const { limits } = options;
  // A run with an empty workspace and no host functions never asks the main thread for
  // anything: it goes without a channel (the worker answers tool calls as the server would).
  const channelless = channel === null && options.workspace.entries.length === 0 && options.onToolCall === undefined;
  const { port1, port2 } = channel !== null ? { port1: channel, port2: null } : channelless ? { port1: null, port2: null } : new MessageChannel();
  const { flags, stdout, stderr } = buffers;
  let completed = false;
  const abort = new AbortController();
  let stop: "timeout" | "cancelled" | null = null;
  const stopWith = (reason: "timeout" | "cancelled"): void => {
    stop ??= reason;
    abort.abort(reason);
  };
  const serve = (port: MessagePort) => serveChannel({ port, flag: flags, workspace: options.workspace, keepPort: channel !== null, ...(options.onToolCall ? { onToolCall: options.onToolCall } : {}) });
  let server = port1 === null ? null : serve(port1);
  const clock = wallClock(flags, limits.timeoutMs, () => stopWith("timeout"));
  const streaming = options.onOutput ? streamOutput(stdout, stderr, options.onOutput) : null;
  const onCallerAbort = (): void => stopWith("cancelled");
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  if (options.signal?.aborted === true) stopWith("cancelled");

  const task: WorkerTask = {
    module: options.image?.module ?? null,
    image: imageMeta(options),
    driver: options.driver ?? wasiCommandDriver(),
    driverData: options.driverData ?? null,
    argv: options.argv,
    env: options.env,
    stdin: options.stdin ?? null,
    entries: options.workspace.entries,
    mounts: options.mounts,
    seedFiles: options.seedFiles ?? {},
    limits,
    snapshot: options.snapshot ?? null,
    snapshotRun,
    toolManifest: options.toolManifest ?? "[]",
    prewarm: snapshotRun ? false : (options.prewarm ?? false),
    port: port2,
    flags,
    stdout,
    stderr,
  };

  let outcome: WorkerOutcome;
  try {
    try {
      outcome = await threads.run(task, { transferList: port2 === null ? [] : [port2], signal: abort.signal });
    } catch (error) {
      // Its thread died before reading it (nothing of it ran), and its port went with that thread: again, on a new channel.
      if (!(error instanceof TaskUnreadError) || port2 === null) throw error;
      server?.close();
      const fresh = new MessageChannel();
      server = serve(fresh.port1);
      outcome = await threads.run({ ...task, port: fresh.port2 }, { transferList: [fresh.port2], signal: abort.signal });
    }
    completed = true;
  } catch (error) {
    const shared = new Int32Array(flags);
    const trap: TrapClassification =
      stop === "timeout"
        ? { reason: "timeout", message: `wall-clock limit of ${limits.timeoutMs} ms exceeded` }
        : stop === "cancelled"
          ? { reason: "cancelled", message: "cancelled by the caller" }
          : { reason: "host_error", message: `worker failed: ${messageOf(error)}` };
    const fuelConsumed = Math.min(limits.fuelBudget, Number(Atomics.load(new BigInt64Array(flags), FUEL_SPENT)));
    outcome = { exitCode: -1, trap, prewarmed: Atomics.load(shared, PREWARMED) === 1, fuelConsumed, memoryUsedBytes: Atomics.load(shared, MEMORY_PAGES) * PAGE, journal: { entries: [] }, plan: null, facts: [] };
  } finally {
    clock.stop();
    streaming?.stop();
    options.signal?.removeEventListener("abort", onCallerAbort);
    server?.close();
  }
  const raw = assemble(outcome, stdout, stderr, limits, performance.now() - started);
  // The thread may build its next pre-warmed instance now (see RESULT_TAKEN).
  if (completed) markResultTaken(flags);
  return { raw, snapshot: outcome.snapshot ?? null, completed };
}

/** What runs a task in a thread: the pool (`thread-pool.ts`), or a warm session's thread. */
export interface TaskRunner {
  run(task: WorkerTask, options: { readonly transferList: readonly Transferable[]; readonly signal: AbortSignal }): Promise<WorkerOutcome>;
}

/** The shared memory of one run: the flags (see `channel/protocol.ts`) and the two capped outputs. */
export interface RunBuffers {
  readonly flags: SharedArrayBuffer;
  readonly stdout: SharedArrayBuffer;
  readonly stderr: SharedArrayBuffer;
}

/**
 * Fresh buffers for a run with `limits`. A caller that passes its own to `dispatchRun`
 * (a warm session's worker reuses them) hands them over zeroed and sized for `limits`.
 */
export function allocateRunBuffers(limits: RunOptions["limits"]): RunBuffers {
  return { flags: new SharedArrayBuffer(FLAG_BYTES), stdout: allocateSharedOutput(limits.stdoutMaxBytes), stderr: allocateSharedOutput(limits.stderrMaxBytes) };
}

/**
 * The run's wall clock: `timeoutMs` from the moment the worker marked the guest started
 * in `flags` (see `markStarted`), without a message from the worker: the timer is armed
 * now for the whole limit (the guest cannot have started earlier) and, when it fires
 * before the guest's deadline — the worker started it late, or not yet — re-armed for
 * what is left of it (the whole limit again when it has not started).
 */
function wallClock(flags: SharedArrayBuffer, timeoutMs: number, onTimeout: () => void): { stop(): void } {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (ms: number): void => {
    timer = setTimeout(check, ms);
  };
  const check = (): void => {
    const since = msSinceStart(flags);
    const left = since === null ? timeoutMs : timeoutMs - since;
    if (left > 0) arm(Math.ceil(left));
    else onTimeout();
  };
  arm(timeoutMs);
  return { stop: () => clearTimeout(timer) };
}

/** Passes new output to `onOutput` every STREAM_INTERVAL_MS, and what is left at the end. */
function streamOutput(stdout: SharedArrayBuffer, stderr: SharedArrayBuffer, onOutput: NonNullable<RunOptions["onOutput"]>): { stop(): void } {
  const tails = { stdout: createOutputTail(stdout), stderr: createOutputTail(stderr) } as const;
  const flush = (): void => {
    for (const stream of ["stdout", "stderr"] as const) {
      const text = tails[stream]();
      if (text.length === 0) continue;
      try {
        onOutput(stream, text);
      } catch {
        // A throwing listener must not take the run down with it.
      }
    }
  };
  const interval = setInterval(flush, STREAM_INTERVAL_MS);
  interval.unref();
  return {
    stop() {
      clearInterval(interval);
      flush();
    },
  };
}

function assemble(outcome: WorkerOutcome, stdoutBuffer: SharedArrayBuffer, stderrBuffer: SharedArrayBuffer, limits: RunOptions["limits"], durationMs: number): RawRun {
  const out = outcome.output?.stdout ?? readSharedOutput(stdoutBuffer);
  const err = outcome.output?.stderr ?? readSharedOutput(stderrBuffer);
  const trap = outcome.trap;
  return {
    exitCode: outcome.exitCode,
    trapReason: trap?.reason ?? null,
    // The host's account of the stop travels here, never inside the guest's own stderr
    // (where a guest could print a look-alike).
    trapMessage: trap === null ? null : describeStop(trap, limits),
    stdout: out.text,
    stderr: err.text,
    stdoutTruncated: out.truncated,
    stderrTruncated: err.truncated,
    fuelConsumed: outcome.fuelConsumed,
    memoryUsedBytes: outcome.memoryUsedBytes,
    durationMs,
    prewarmed: outcome.prewarmed,
    journal: outcome.journal,
    plan: outcome.plan,
    facts: outcome.facts,
    ...(outcome.unjournaled?.length ? { notes: [unjournaledNote(outcome.unjournaled)] } : {}),
  };
}

function unjournaledNote(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).map((p) => `/app/${p.length > 80 ? `${p.slice(0, 77)}...` : p}`);
  return `${paths.length} path(s) in /app were nested too deeply to be saved (longer than 1024 characters) and were not kept: ${shown.join(", ")}${paths.length > 3 ? ", …" : ""}`;
}

function imageMeta(options: RunOptions): WorkerTask["image"] {
  if (options.image === null) return null;
  const { name, hash, memory, fuelExport, growFailedExport } = options.image;
  return { name, hash, memory, fuelExport, growFailedExport };
}

/**
 * File URL of wasi-host's WASI command driver (instantiate, call `_start`): the driver of a
 * RunSpec whose image is a plain WASI preview1 command.
 */
export function wasiCommandDriver(): string {
  defaultDriver ??= resolveBuiltFile(import.meta.url, `${THREAD_DIR}/drivers/wasi-command.js`, PACKAGE_NAME);
  return defaultDriver;
}
