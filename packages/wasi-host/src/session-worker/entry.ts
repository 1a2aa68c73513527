/**
 * Entry of a warm session's worker thread (built to `dist/thread/session-worker.js`): one thread
 * per live session, outside the pool. The first execution builds the world and runs the
 * runtime's driver like a pooled run; when the driver keeps its interpreter
 * (`ctx.live.keep(next)`), each later execution calls `next` in the same world. Between
 * executions the thread waits until the main thread signals the next one: no guest code
 * runs, no timer of the guest's exists on this side, so an idle session costs no CPU.
 *
 * The thread never outlives a failed interpreter: after a trap, or an execution the
 * driver did not keep, the main thread terminates it.
 */
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import { planCommit } from "@llm-wasm-sandbox/core/commit-plan";
import { classifyEnd, classifyTrap, messageOf, type TrapClassification } from "../classify-trap.js";
import { markStarted } from "../channel/protocol.js";
import { readSharedOutput } from "../pool/shared-output.js";
import type { WorkerOutcome } from "../pool/task.js";
import { WorkerWake } from "../pool/thread-wake.js";
import { ProcExit, type GuestDriver } from "../types.js";
import { continueWorld, createLiveWorld, createRunScope, retireReason, type LiveWorld } from "./live-world.js";
import type { ContinueTask, SessionWorkerData, SessionWorkerReply, SessionWorkerRequest } from "./protocol.js";
import { importBuiltModule } from "../import-built-module.js";

let world: LiveWorld | null = null;

const { port, wake, channel } = workerData as SessionWorkerData;
void serve(new WorkerWake(wake));

/**
 * Between executions the thread waits on its wake buffer with `Atomics.waitAsync` (see
 * `pool/thread-wake.ts`): the main thread's signal wakes it without a port event, and
 * V8's own tasks (garbage collection steps) run meanwhile instead of on the next
 * execution's time. A terminated thread ends wherever it is.
 */
async function serve(waker: WorkerWake): Promise<never> {
  // A pending Atomics.waitAsync does not keep a thread's event loop alive: this does
  // (the thread ends when the main thread terminates it).
  setInterval(() => {}, 1 << 30);
  for (;;) {
    await waker.next();
    for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
      const request = received.message as SessionWorkerRequest;
      let reply: SessionWorkerReply;
      try {
        reply = await execute(request);
      } catch (error) {
        reply = { kind: "failed", message: messageOf(error) };
      }
      port.postMessage(reply, reply.kind === "done" ? movableBuffers(reply.outcome) : []);
      waker.signal();
    }
  }
}

async function execute(request: SessionWorkerRequest): Promise<SessionWorkerReply> {
  const { task } = request;
  const scope = createRunScope(task, channel);
  // Gets the guest ready to run: the kept continuation, or (first execution) the driver, loaded.
  let ready: () => Promise<() => Promise<number> | number>;
  if (request.kind === "continue") {
    const next = world?.scope.kept ?? null;
    if (world === null || next === null) throw new Error("no live interpreter to continue");
    continueWorld(world, scope);
    ready = async () => () => next(task.driverData);
  } else {
    if (world !== null) throw new Error("this session worker already has an interpreter");
    const built = createLiveWorld(request.task, scope);
    if (!("ctx" in built)) return done(failed(built), false, task);
    world = built;
    const { driver } = request.task;
    ready = async () => {
      const run = await loadDriver(driver);
      return () => run(built.ctx);
    };
  }
  const live = world;
  let exitCode: number;
  let trap: TrapClassification | null = null;
  try {
    const run = await ready();
    markStarted(task.flags);
    exitCode = await run();
  } catch (error) {
    if (ProcExit.isInstance(error)) exitCode = error.exitCode;
    else {
      trap = classifyTrap({ error, fuelRemaining: live.tracker.lastFuel(), memoryLimitHit: scope.memoryLimitHit || live.tracker.growFailed() });
      exitCode = -1;
    }
  }
  scope.stdout.end();
  scope.stderr.end();
  trap ??= classifyEnd({ exitCode, fuelRemaining: live.tracker.fuelRemaining(), memoryLimitHit: scope.memoryLimitHit || live.tracker.growFailed() });
  if (trap?.reason === "out_of_fuel") exitCode = -1;
  let journal: WorkerOutcome["journal"] = { entries: [] };
  let plan: WorkerOutcome["plan"] = null;
  let unjournaled: readonly string[] = [];
  try {
    ({ journal, unjournaled } = live.fs.workspaceChanges());
    plan = planCommit(task.entries, journal);
  } catch (error) {
    journal = { entries: [] };
    plan = null;
    trap ??= classifyTrap({ error: new Error(`could not collect the workspace changes: ${messageOf(error)}`), fuelRemaining: null, memoryLimitHit: false });
  }
  live.recordFuel();
  const outcome: WorkerOutcome = {
    exitCode,
    trap,
    // A live interpreter is the session's own, never a pre-warmed instance.
    prewarmed: false,
    fuelConsumed: live.tracker.fuelConsumed(),
    memoryUsedBytes: live.memory.buffer.byteLength,
    journal,
    plan,
    unjournaled,
    facts: live.control.restart(),
  };
  // A trapped interpreter is never continued, whatever its driver kept.
  const retired = trap === null && plan !== null && scope.kept !== null ? retireReason(live.fs) : null;
  const kept = trap === null && plan !== null && scope.kept !== null && retired === null;
  if (!kept) scope.kept = null;
  return { ...done(outcome, kept, task), ...(retired !== null ? { retired } : {}) };
}

/** The reply, with the outputs decoded here rather than on the host's main thread. */
function done(outcome: WorkerOutcome, kept: boolean, task: ContinueTask): Extract<SessionWorkerReply, { kind: "done" }> {
  return { kind: "done", outcome: { ...outcome, output: { stdout: readSharedOutput(task.stdout), stderr: readSharedOutput(task.stderr) } }, kept };
}

/**
 * The journal's written buffers that can move to the main thread instead of being cloned
 * (exactly covered by their view, not shared, each once), as the pool's worker does.
 */
function movableBuffers(outcome: WorkerOutcome): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const entry of outcome.journal.entries) {
    if (entry.op !== "write") continue;
    const { buffer, byteOffset, byteLength } = entry.data;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength && byteLength > 0) seen.add(buffer);
  }
  return [...seen];
}

function failed(trap: TrapClassification): WorkerOutcome {
  return { exitCode: -1, trap, prewarmed: false, fuelConsumed: 0, memoryUsedBytes: 0, journal: { entries: [] }, plan: null, facts: [] };
}

async function loadDriver(url: string): Promise<GuestDriver> {
  const mod = (await importBuiltModule(url)) as { default?: unknown };
  if (typeof mod.default !== "function") throw new TypeError(`driver ${url} has no default export function (a GuestDriver)`);
  return mod.default as GuestDriver;
}
