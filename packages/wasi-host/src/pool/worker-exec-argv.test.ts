import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    // A host script run as `node --input-type=module -e …`: a worker's entry is a file, which Node refuses to start with this flag.
    "--input-type=module",
  ];
  // Kept out of `parent`: the workers started below would write profiles.
  const profiling = ["--cpu-prof", "--cpu-prof-dir", "/tmp/profiles", "--cpu-prof-interval=200", "--cpu-prof-name=host.cpuprofile"];

  it("keeps loaders, warning and profiling flags, drops conditions, --input-type, a profile's file name and per-process or V8 flags", () => {
    expect(workerExecArgv([...parent, ...profiling])).toEqual([
      "--import",
      "data:text/javascript,",
      "--enable-source-maps",
      "--no-warnings",
      "--experimental-vm-modules",
      "--cpu-prof",
      "--cpu-prof-dir",
      "/tmp/profiles",
      "--cpu-prof-interval=200",
    ]);
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

  it("starts a worker from a file (as the pool and keepAlive sessions do) under a host run with --input-type=module -e", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exec-argv-"));
    try {
      const entry = join(dir, "entry.mjs");
      writeFileSync(entry, "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage('up');\n");
      const worker = new Worker(entry, { execArgv: workerExecArgv(parent) });
      const message = await new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      expect(message).toBe("up");
      await worker.terminate();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
