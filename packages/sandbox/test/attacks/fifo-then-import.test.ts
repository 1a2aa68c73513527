/**
 * A guest that makes its worker thread stat a FIFO must not break the next run in that
 * thread. Node 20's ESM loader reuses the stat values of the thread's last synchronous stat
 * when it resolves a path whose prefix it has cached, and a FIFO's stopped it from
 * resolving symlinks: the next driver imported there (JavaScript's, through pnpm's
 * symlinked quickjs-emscripten-core) failed with "Cannot find package" — a host_error for
 * an innocent run. Deterministic here: a host function swaps a listed mounted file for a
 * FIFO between the guest's listing and its read, on a one-thread pool whose JavaScript
 * image is already compiled (so nothing else stats a regular file in between).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, memoryStorage } from "../../src/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fifo-then-import-"));
  await writeFile(join(dir, "plain.txt"), "hi");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a FIFO stat-ed by one run's host work", () => {
  it("does not break the driver import of the next run in the same thread", { timeout: 180_000 }, async () => {
    // Compile the JavaScript image in this process first: the later run then imports its
    // driver straight after the Python run, with no image preparation in between.
    const warm = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 } });
    expect((await (await createSandbox({ runtime: "javascript", host: warm })).execute("console.log(1)")).stdout).toBe("1\n");
    await warm.close();

    const swap = defineTool({
      description: "Replaces the mounted plain.txt with a FIFO.",
      input: z.object({}),
      handler: async () => {
        await rm(join(dir, "plain.txt"));
        execFileSync("mkfifo", [join(dir, "plain.txt")]);
        return "swapped";
      },
    });
    const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, tools: { swap } });
    try {
      const python = await createSandbox({ runtime: "python", host, policy: { mountDataDir: dir } });
      const first = await python.execute(
        ["import os", "from tools import swap", "print(os.listdir('/data/mounted'))", "swap()", "try:", "    open('/data/mounted/plain.txt').read()", "except OSError as e:", "    print('ERR', e.errno)"].join("\n"),
      );
      expect(first.stdout).toBe("['plain.txt']\nERR 29\n"); // EIO: listed as a file, a FIFO when read
      const js = await createSandbox({ runtime: "javascript", host });
      const next = await js.execute("console.log(2)");
      expect(next.trapReason, next.trapMessage ?? "").toBeNull();
      expect(next.stdout).toBe("2\n");
    } finally {
      await host.close();
    }
  });
});
