import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type * as ThreadPoolModule from "./thread-pool.js";

const constructed = vi.hoisted(() => ({ count: 0 }));
vi.mock("./thread-pool.js", async (importOriginal) => {
  const real = await importOriginal<typeof ThreadPoolModule>();
  return {
    ...real,
    createThreadPool: (...args: Parameters<typeof real.createThreadPool>) => {
      constructed.count++;
      return real.createThreadPool(...args);
    },
  };
});

const { prestartPool, startPoolThreads } = await import("./pool-threads.js");
const { createWorkerPool } = await import("./worker-pool.js");

describe("pre-started pool threads", () => {
  const opened: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
  });

  it("hands the pre-started threads to the first pool with the same settings, and only to it", async () => {
    const before = constructed.count;
    prestartPool({ size: 1, idleTimeoutMs: 1234 });
    prestartPool({ size: 1, idleTimeoutMs: 1234 }); // once per process: no second set
    expect(constructed.count - before).toBe(1);

    const other = startPoolThreads({ size: 2, idleTimeoutMs: 1234 }); // other settings: new threads
    opened.push(other.threads);
    expect(constructed.count - before).toBe(2);

    const adopted = startPoolThreads({ size: 1, minThreads: 1, idleTimeoutMs: 1234 }); // the same settings, spelled out
    opened.push(adopted.threads);
    expect(constructed.count - before).toBe(2);
    expect(adopted.size).toBe(1);

    const next = startPoolThreads({ size: 1, idleTimeoutMs: 1234 }); // taken once
    opened.push(next.threads);
    expect(constructed.count - before).toBe(3);
    expect(next.threads).not.toBe(adopted.threads);
  });

  it("a pool built on pre-started threads runs guests' preparations", async () => {
    prestartPool({ size: 1 });
    const before = constructed.count;
    const pool = createWorkerPool({ size: 1 });
    opened.push(pool);
    expect(constructed.count).toBe(before);
    const preparer = new URL("../../dist/thread/cache/prepare-image.js", import.meta.url).href;
    // A preparation the worker entry answers (module bytes that are no module: an error as data).
    const result = await pool.prepare<{ kind: string }>({
      preparer,
      input: { source: { bytes: new Uint8Array([1, 2, 3]) }, name: "x.wasm", cacheDir: null, options: { exportMutableGlobals: false, keepNameSection: true }, known: [] },
    });
    expect(["error", "meter-error"]).toContain(result.kind);
  });

  it("a pre-started thread nobody adopts does not keep the process alive", async () => {
    const entry = new URL("../../dist/prestart.js", import.meta.url).href;
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--input-type=module", "-e", `const { prestartPool } = await import(${JSON.stringify(entry)}); prestartPool();`],
        { cwd: fileURLToPath(new URL(".", import.meta.url)), timeout: 60_000 },
        (error) => resolve(error ? ((error as { code?: number }).code ?? -1) : 0),
      );
      void child;
    });
    expect(code).toBe(0);
  });
});
