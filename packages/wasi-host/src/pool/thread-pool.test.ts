/**
 * The pool's threads (thread-pool.ts) against handlers that misbehave: a task that never
 * yields, a thread that exits or crashes mid-task, a forged answer, an answer that cannot
 * be sent, aborts before and after a task starts. Every task's promise settles, a thread
 * that failed is never used again, and the pool goes on serving.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type * as WorkerThreads from "node:worker_threads";
import { createThreadPool, TaskAbortedError, TaskUnreadError, type ThreadPool, type ThreadPoolOptions } from "./thread-pool.js";

/** Every Worker the pool starts (the real class, recorded): a test emits on one what Node would. */
const workers: WorkerThreads.Worker[] = [];
vi.mock("node:worker_threads", async (importOriginal) => {
  const real = await importOriginal<typeof WorkerThreads>();
  class RecordedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      workers.push(this);
    }
  }
  return { ...real, Worker: RecordedWorker };
});

const entry = new URL("../../dist/thread/pool/thread-entry.js", import.meta.url).href;

/** Handlers a test thread answers with (plain JavaScript: threads load built files). */
const HANDLERS = `
import { parentPort, threadId, workerData } from "node:worker_threads";
// Threads started, when a test counts them.
if (workerData?.starts) Atomics.add(new Int32Array(workerData.starts), 0, 1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The id of the request this thread was given last (code in a thread sees every request).
let lastId = 0;
parentPort.on("message", (request) => { lastId = request.id; });
export default async function (task) {
  switch (task.kind) {
    case "echo": return task.value;
    case "thread": return threadId;
    case "spin": if (task.gate) { Atomics.store(new Int32Array(task.gate), 0, 1); Atomics.notify(new Int32Array(task.gate), 0); } for (;;) {}
    case "exit": process.exit(3);
    case "crash": setTimeout(() => { throw new Error("boom in the thread"); }); return new Promise(() => {});
    case "forge": parentPort.postMessage({ id: 999999, ok: true, value: "forged" }); await sleep(20); return "real";
    case "forge-next": { const next = lastId + 1; setTimeout(() => parentPort.postMessage({ id: next, ok: true, value: "forged" }), 30); return "real"; }
    case "not-an-answer": parentPort.postMessage(null); parentPort.postMessage(42); parentPort.postMessage("text"); await sleep(20); return "real";
    case "uncloneable": return { f: () => 1 };
    case "fail": throw new Error("the handler failed");
    case "answer-then-die": {
      // Answers, then waits (blocked: it reads no message meanwhile) until the test has
      // posted its next task to this thread, and dies without reading it.
      const gate = new Int32Array(task.gate);
      setImmediate(() => {
        Atomics.store(gate, 0, 1);
        Atomics.notify(gate, 0);
        Atomics.wait(gate, 1, 0);
        if (task.how === "exit") process.exit(0);
        throw new Error("boom after answering");
      });
      return "answered";
    }
    case "die-when-idle": setTimeout(() => { throw new Error("boom while idle"); }, 10); return "done";
    case "counted-exit": Atomics.add(new Int32Array(task.counter), 0, 1); process.exit(4);
    case "unreadable-request": parentPort.emit("messageerror", new Error("could not deserialize")); return new Promise(() => {});
    case "wait": { const gate = new Int32Array(task.gate); Atomics.store(gate, 0, 1); Atomics.notify(gate, 0); await sleep(task.ms); return "waited"; }
    case "move": { const b = new ArrayBuffer(16); new Uint8Array(b)[0] = 7; return { [Symbol.for("llm-wasm-sandbox.pool.moved")]: true, value: { b }, transfer: [b] }; }
    case "count": {
      const n = new Int32Array(task.counter);
      const now = Atomics.add(n, 0, 1) + 1;
      for (let max = Atomics.load(n, 1); now > max; max = Atomics.load(n, 1)) if (Atomics.compareExchange(n, 1, max, now) === max) break;
      Atomics.add(n, 2, 1);
      Atomics.notify(n, 2);
      // Waits (at most 20 s) until \`until\` tasks have started: they overlap whatever the threads' start-up took.
      const deadline = Date.now() + 20_000;
      for (let started = Atomics.load(n, 2); started < (task.until ?? 0) && Date.now() < deadline; started = Atomics.load(n, 2)) Atomics.wait(n, 2, started, 100);
      if (task.hold) release(task.hold);
      await sleep(task.ms);
      Atomics.sub(n, 0, 1);
      return task.value;
    }
  }
  throw new Error("unknown task " + task.kind);
}
export const prepare = async (task) => "prepared " + task;
/** Tells the test (word 0) that the task runs, and blocks its thread until the test sets word 1. */
function release(gate) {
  const g = new Int32Array(gate);
  Atomics.store(g, 0, 1);
  Atomics.notify(g, 0);
  Atomics.wait(g, 1, 0);
}
`;

let dir: string;
let handlers: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-sandbox-thread-pool-"));
  handlers = pathToFileURL(join(dir, "handlers.mjs")).href;
  await writeFile(fileURLToPath(handlers), HANDLERS);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const pools: ThreadPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Resolves once word 0 of `gate` is no longer 0 (set by a thread). */
async function untilSet(gate: SharedArrayBuffer): Promise<void> {
  await vi.waitFor(() => expect(Atomics.load(new Int32Array(gate), 0)).not.toBe(0), { timeout: 20_000, interval: 5 });
}

/** Runs a task that spins until aborted, aborts it once it runs, and checks the abort rejected it. */
async function abortWhileSpinning(p: ThreadPool): Promise<void> {
  const abort = new AbortController();
  const gate = new SharedArrayBuffer(4);
  const spinning = p.run({ kind: "spin", gate }, { signal: abort.signal });
  await untilSet(gate);
  abort.abort();
  await expect(spinning).rejects.toBeInstanceOf(TaskAbortedError);
}

/** The next process warning the pool emits. */
function poolWarning(): Promise<Error & { code?: string }> {
  return new Promise((resolve) => {
    const listener = (warning: Error & { code?: string }): void => {
      if (warning.name !== "LlmWasmSandboxWarning") return;
      process.off("warning", listener);
      resolve(warning);
    };
    process.on("warning", listener);
  });
}

function pool(options: Partial<ThreadPoolOptions> = {}): ThreadPool {
  const p = createThreadPool({ entry, handlers, size: 1, minThreads: 1, idleTimeoutMs: 30_000, execArgv: [], resourceLimits: { stackSizeMb: 4 }, ...options });
  pools.push(p);
  return p;
}

describe("pool threads", () => {
  it("answers each task with its handler's value; `name` picks the export", async () => {
    const p = pool();
    expect(await p.run({ kind: "echo", value: { a: [1, 2] } })).toEqual({ a: [1, 2] });
    expect(await p.run("x", { name: "prepare" })).toBe("prepared x");
    await expect(p.run("x", { name: "missing" })).rejects.toThrow(/no export "missing"/);
    await expect(p.run({ kind: "fail" })).rejects.toThrow("the handler failed");
  });

  it("moves the buffers of a result marked by moveResult", async () => {
    const { b } = await pool().run<{ b: ArrayBuffer }>({ kind: "move" });
    expect(new Uint8Array(b)[0]).toBe(7);
  });

  it.each(["exit", "crash"])("rejects a task whose thread dies before answering (%s), and serves the next on a new thread", async (kind) => {
    const p = pool();
    const first = await p.run<number>({ kind: "thread" });
    await expect(p.run({ kind })).rejects.toThrow(kind === "exit" ? /exited \(code 3\)/ : /boom in the thread/);
    const next = await p.run<number>({ kind: "thread" });
    expect(next).not.toBe(first);
    expect(await p.run({ kind: "echo", value: 1 })).toBe(1);
  });

  it.each(["exit", "crash"])("a thread that dies (%s) right after it answered does not take the next task with it: the task runs on a new thread", async (how) => {
    const p = pool();
    const gate = new SharedArrayBuffer(8);
    const dying = await p.run<number>({ kind: "thread" });
    expect(await p.run({ kind: "answer-then-die", gate, how })).toBe("answered");
    await untilSet(gate);
    // Handed to the answered thread, which looks idle, is blocked, and never reads it.
    const next = p.run<number>({ kind: "thread" });
    Atomics.store(new Int32Array(gate), 1, 1);
    Atomics.notify(new Int32Array(gate), 1);
    expect(await next).not.toBe(dying);
  });

  it("a task that moves a port, handed to a thread that died before reading it, is rejected saying nothing of it ran (the port went with the thread)", async () => {
    const p = pool();
    const gate = new SharedArrayBuffer(8);
    expect(await p.run({ kind: "answer-then-die", gate, how: "exit" })).toBe("answered");
    await untilSet(gate);
    const { port1, port2 } = new MessageChannel();
    const next = p.run({ kind: "echo", value: port2 }, { transferList: [port2] });
    Atomics.store(new Int32Array(gate), 1, 1);
    Atomics.notify(new Int32Array(gate), 1);
    await expect(next).rejects.toBeInstanceOf(TaskUnreadError);
    port1.close();
    expect(await p.run({ kind: "echo", value: 1 })).toBe(1);
  });

  it("a task its thread had read when it died is rejected, never run again", async () => {
    const p = pool();
    await p.run({ kind: "echo", value: 1 });
    const counter = new SharedArrayBuffer(4);
    await expect(p.run({ kind: "counted-exit", counter })).rejects.toThrow(/exited \(code 4\)/);
    expect(await p.run({ kind: "echo", value: 2 })).toBe(2);
    expect(Atomics.load(new Int32Array(counter), 0)).toBe(1);
  });

  it("a thread that dies while idle is replaced, and its error is reported as a process warning", async () => {
    const starts = new SharedArrayBuffer(4);
    const p = pool({ minThreads: 1, workerData: { starts } });
    const warned = poolWarning();
    expect(await p.run({ kind: "die-when-idle" })).toBe("done");
    const warning = await warned;
    expect(warning.message).toMatch(/^\[llm-wasm-sandbox\] a pool thread died while idle/);
    expect((warning.cause as Error).message).toBe("boom while idle");
    await vi.waitFor(() => expect(Atomics.load(new Int32Array(starts), 0)).toBe(2), { timeout: 20_000 });
    expect(await p.run({ kind: "echo", value: 1 })).toBe(1);
  });

  it("warns about no thread the pool ended itself (idle timeout, abort, close)", async () => {
    const warned: Error[] = [];
    const listener = (warning: Error): void => void (warning.name === "LlmWasmSandboxWarning" && warned.push(warning));
    process.on("warning", listener);
    try {
      const p = pool({ size: 1, minThreads: 0, idleTimeoutMs: 20 });
      const first = await p.run<number>({ kind: "thread" });
      // Idle past its timeout, the thread is ended: a later task runs on a new one.
      await vi.waitFor(async () => expect(await p.run<number>({ kind: "thread" })).not.toBe(first), { timeout: 20_000, interval: 60 });
      await abortWhileSpinning(p);
      expect(await p.run({ kind: "echo", value: 1 })).toBe(1);
      await p.close();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warned).toEqual([]);
    } finally {
      process.off("warning", listener);
    }
  });

  it("a task whose answer cannot be read on the main thread (messageerror) is rejected; its thread is replaced", async () => {
    const p = pool();
    const first = await p.run<number>({ kind: "thread" });
    const gate = new SharedArrayBuffer(4);
    const waiting = p.run({ kind: "wait", gate, ms: 60_000 });
    await untilSet(gate);
    workers.at(-1)!.emit("messageerror", new Error("could not deserialize"));
    await expect(waiting).rejects.toThrow(/answer could not be read.*could not deserialize/);
    expect(await p.run<number>({ kind: "thread" })).not.toBe(first);
  });

  it("a task its thread cannot read (messageerror in the thread) is rejected; the pool goes on", async () => {
    const p = pool();
    await expect(p.run({ kind: "unreadable-request" })).rejects.toThrow(/could not read its task.*could not deserialize/);
    expect(await p.run({ kind: "echo", value: 1 })).toBe(1);
  });

  it("aborting a task that never yields terminates its thread and rejects the task; the pool goes on", async () => {
    const p = pool();
    const first = await p.run<number>({ kind: "thread" });
    const abort = new AbortController();
    const spinning = p.run({ kind: "spin" }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    await expect(spinning).rejects.toBeInstanceOf(TaskAbortedError);
    expect(await p.run<number>({ kind: "thread" })).not.toBe(first);
  });

  it("rejects at once a task whose signal is already aborted", async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(pool().run({ kind: "echo", value: 1 }, { signal: abort.signal })).rejects.toBeInstanceOf(TaskAbortedError);
  });

  it("a queued task aborted before a thread takes it never runs", async () => {
    const p = pool({ size: 1 });
    const counter = new SharedArrayBuffer(12);
    const hold = new SharedArrayBuffer(8);
    const busy = p.run({ kind: "count", counter, ms: 0, value: "first", hold });
    const abort = new AbortController();
    const queued = p.run({ kind: "count", counter, ms: 0, value: "queued" }, { signal: abort.signal });
    // Aborted while the only thread is held by the first task (not raced against a sleep).
    await untilSet(hold);
    abort.abort();
    await expect(queued).rejects.toBeInstanceOf(TaskAbortedError);
    Atomics.store(new Int32Array(hold), 1, 1);
    Atomics.notify(new Int32Array(hold), 1);
    expect(await busy).toBe("first");
    expect(await p.run({ kind: "echo", value: "after" })).toBe("after");
    expect(Atomics.load(new Int32Array(counter), 2)).toBe(1);
  });

  it("ignores an answer that is not for its task (a forged id)", async () => {
    expect(await pool().run({ kind: "forge" })).toBe("real");
  });

  it("a thread cannot answer the task it will be given next (attack: a forged answer posted after its own, with the next id)", async () => {
    const p = pool({ size: 1 });
    const counter = new SharedArrayBuffer(12);
    const [first, second] = await Promise.all([p.run({ kind: "forge-next" }), p.run({ kind: "count", counter, ms: 300, value: "second" })]);
    expect(first).toBe("real");
    expect(second).toBe("second");
  });

  it("drops messages from a thread that are not answers (null, numbers, strings) without throwing on the main thread", async () => {
    const p = pool();
    expect(await p.run({ kind: "not-an-answer" })).toBe("real");
    expect(await p.run({ kind: "echo", value: 1 })).toBe(1);
  });

  it("one abort that ends a running task also ends the queued task sharing its signal: it is never posted to the next thread", async () => {
    const p = pool({ size: 1 });
    const counter = new SharedArrayBuffer(12);
    const abort = new AbortController();
    const running = p.run({ kind: "spin" }, { signal: abort.signal });
    const queued = p.run({ kind: "count", counter, ms: 0, value: "queued" }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(running).rejects.toBeInstanceOf(TaskAbortedError);
    await expect(queued).rejects.toBeInstanceOf(TaskAbortedError);
    expect(await p.run({ kind: "echo", value: "after" })).toBe("after");
    expect(Atomics.load(new Int32Array(counter), 2)).toBe(0);
  });

  it("a thread the pool ended on its first task (an abort) is replaced at once to keep minThreads", async () => {
    const starts = new SharedArrayBuffer(4);
    const p = pool({ minThreads: 1, workerData: { starts } });
    // Aborted once it runs: a thread ended while still starting never counted its start.
    await abortWhileSpinning(p);
    await vi.waitFor(() => expect(Atomics.load(new Int32Array(starts), 0)).toBe(2), { timeout: 20_000 });
  });

  it("fails a task whose answer cannot be sent, and the thread keeps serving", async () => {
    const p = pool();
    const first = await p.run<number>({ kind: "thread" });
    await expect(p.run({ kind: "uncloneable" })).rejects.toThrow(/could not send its answer/);
    expect(await p.run<number>({ kind: "thread" })).toBe(first);
  });

  it("fails a task that cannot be sent to a thread, and the pool keeps serving", async () => {
    const p = pool();
    await expect(p.run({ kind: "echo", value: () => 1 })).rejects.toThrow();
    expect(await p.run({ kind: "echo", value: 2 })).toBe(2);
  });

  it("runs at most `size` tasks at once; the rest wait their turn", async () => {
    const p = pool({ size: 2, minThreads: 0 });
    const counter = new SharedArrayBuffer(12);
    // The first waits for the second to start: two run at once however late the second thread starts.
    const values = await Promise.all([1, 2, 3, 4, 5].map((value) => p.run({ kind: "count", counter, ms: 80, value, ...(value === 1 ? { until: 2 } : {}) })));
    expect(values).toEqual([1, 2, 3, 4, 5]);
    const n = new Int32Array(counter);
    expect(Atomics.load(n, 1)).toBe(2);
    expect(Atomics.load(n, 2)).toBe(5);
  });

  it("close lets queued and running tasks finish, then refuses new ones", async () => {
    const p = pool({ size: 1 });
    const counter = new SharedArrayBuffer(12);
    const running = p.run({ kind: "count", counter, ms: 100, value: "running" });
    const queued = p.run({ kind: "echo", value: "queued" });
    const closed = p.close();
    await expect(p.run({ kind: "echo", value: 1 })).rejects.toThrow(/closed/);
    expect(await running).toBe("running");
    expect(await queued).toBe("queued");
    await closed;
  });

  it("a thread whose handler module cannot load fails the task, and is not replaced in a loop", async () => {
    const broken = join(dir, "broken.mjs");
    const loads = join(dir, "broken-loads.txt");
    await writeFile(broken, `import { appendFileSync } from "node:fs"; appendFileSync(${JSON.stringify(loads)}, "x"); throw new Error("cannot load");`);
    const p = pool({ handlers: pathToFileURL(broken).href, minThreads: 1 });
    await expect(p.run({ kind: "echo", value: 1 })).rejects.toThrow(/cannot load/);
    await expect(p.run({ kind: "echo", value: 1 })).rejects.toThrow(/cannot load/);
    // Give a respawn loop time to show itself: without the guard it starts a thread per exit.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await readFile(loads, "utf8")).length).toBe(2);
  });

  it("idle threads do not keep the process alive, after they ran a task", async () => {
    const index = new URL("../../dist/index.js", import.meta.url).href;
    const preparer = new URL("../../dist/thread/cache/prepare-image.js", import.meta.url).href;
    const script = `const { createWorkerPool } = await import(${JSON.stringify(index)});
      const pool = createWorkerPool({ size: 2, minThreads: 2 });
      const input = { source: { bytes: new Uint8Array([1, 2, 3]) }, name: "x.wasm", cacheDir: null, options: { exportMutableGlobals: false, keepNameSection: true }, known: [] };
      await Promise.all([pool.prepare({ preparer: ${JSON.stringify(preparer)}, input }), pool.prepare({ preparer: ${JSON.stringify(preparer)}, input })]);
      process.stdout.write("ran");`;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 }, (error, out) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout: out }),
      );
    });
    expect(stdout).toBe("ran");
    expect(code).toBe(0);
  });
});
