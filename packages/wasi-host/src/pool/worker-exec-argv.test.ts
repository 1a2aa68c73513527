import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { workerExecArgv } from "./worker-pool.js";

describe("workerExecArgv", () => {
  const parent = [
    "--max-old-space-size=512",
    "--expose-gc",
    "--stack-size=2000",
    "--conditions",
    "llm-wasm-sandbox:source",
    "-C=development",
    "--import",
    "data:text/javascript,",
    "--enable-source-maps",
    "--no-warnings",
    "--experimental-vm-modules",
  ];

  it("keeps loaders and warning flags, drops conditions and per-process or V8 flags", () => {
    expect(workerExecArgv(parent)).toEqual(["--import", "data:text/javascript,", "--enable-source-maps", "--no-warnings", "--experimental-vm-modules"]);
  });

  it("produces flags a worker thread accepts even when the host runs with per-process flags", async () => {
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('up')", { eval: true, execArgv: workerExecArgv(parent) });
    const message = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(message).toBe("up");
    await worker.terminate();
  });
});
