/**
 * Read floods on disk storage: a guest reads many small workspace files. Disk storage
 * reads a run's first few small files synchronously (a guest waiting for a 1 KB file must
 * not wait for thread-pool round trips), but how many files a run reads is the guest's
 * choice, so past QUICK_READS_PER_SNAPSHOT its reads go through the thread pool and the
 * main thread blocks for at most that many disk reads per run, however many it reads.
 * Counted by the pool reads (FileHandle#readFile) the run makes; never timed.
 */
import * as fsp from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QUICK_READS_PER_SNAPSHOT } from "@llm-wasm-sandbox/storage-disk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, diskStorage } from "../../src/index.js";

const FILES = 60;

/** Reads /app/f0.txt … f59.txt and prints how many held their own name. */
const READ_ALL: Record<string, string> = {
  python: `print("OK", sum(open(f"/app/f{i}.txt").read() == f"f{i}" for i in range(${FILES})))`,
  javascript: `let n = 0; for (let i = 0; i < ${FILES}; i++) if (readText("/app/f" + i + ".txt") === "f" + i) n++; console.log("OK", n);`,
  lua: `local n = 0 for i = 0, ${FILES - 1} do local f = io.open("/app/f" .. i .. ".txt") if f:read("a") == "f" .. i then n = n + 1 end f:close() end print("OK", n)`,
  ruby: `puts "OK #{(0...${FILES}).count { |i| File.read("/app/f#{i}.txt") == "f#{i}" }}"`,
};

let proto: { readFile: (...args: unknown[]) => Promise<unknown> };
let realReadFile: (...args: unknown[]) => Promise<unknown>;
let poolReads = 0;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "llm-sandbox-read-flood-"));
  const handle = await fsp.open(root, "r");
  proto = Object.getPrototypeOf(handle) as typeof proto;
  await handle.close();
  realReadFile = proto.readFile;
  proto.readFile = function (this: unknown, ...args: unknown[]) {
    poolReads++;
    return realReadFile.apply(this, args);
  };
});
afterAll(async () => {
  proto.readFile = realReadFile;
  await rm(root, { recursive: true, force: true });
});

describe("a guest reading many small files on disk storage blocks the main thread for a bounded number of them", () => {
  for (const [runtime, code] of Object.entries(READ_ALL)) {
    it(`${runtime}: ${FILES} reads in one run, at most ${QUICK_READS_PER_SNAPSHOT} of them synchronous`, async () => {
      const storage = diskStorage({ workspaceRoot: join(root, runtime) });
      const sandbox = await createSandbox({ runtime, storage });
      const seed = await sandbox.execute(seedCode(runtime));
      expect(seed.success, seed.stderr).toBe(true);
      poolReads = 0;
      const r = await sandbox.execute(code);
      expect(r.success, r.stderr).toBe(true);
      expect(r.stdout.trim().split(/\s+/)).toEqual(["OK", String(FILES)]);
      expect(poolReads).toBeGreaterThanOrEqual(FILES - QUICK_READS_PER_SNAPSHOT);
      await storage.close();
    }, 120_000);
  }
});

/** Writes /app/f<i>.txt containing `f<i>` for every i. */
function seedCode(runtime: string): string {
  switch (runtime) {
    case "python":
      return `for i in range(${FILES}): open(f"/app/f{i}.txt", "w").write(f"f{i}")`;
    case "javascript":
      return `for (let i = 0; i < ${FILES}; i++) writeText("/app/f" + i + ".txt", "f" + i)`;
    case "lua":
      return `for i = 0, ${FILES - 1} do local f = io.open("/app/f" .. i .. ".txt", "w") f:write("f" .. i) f:close() end`;
    default:
      return `${FILES}.times { |i| File.write("/app/f#{i}.txt", "f#{i}") }`;
  }
}
