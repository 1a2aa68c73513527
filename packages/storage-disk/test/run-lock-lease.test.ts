import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { planCommit, StorageConflictError } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

// Kept far longer than any wait below: a waiter that gets the lock got it by asking, not by the lease running out.
const LONG_MS = 600_000;
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));

let tmp: string;
let s: DiskStorage;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-lease-"));
  s = diskStorage({ workspaceRoot: tmp, keepRunLockMs: LONG_MS });
});

afterEach(async () => {
  await s.close();
  await rm(tmp, { recursive: true, force: true });
});

/** A child process that takes the run lock of `sessionId` on `tmp`, reports, and holds it until told to go (stdin closes). */
function childLock(sessionId: string, options: { timeoutMs: number; keepRunLockMs?: number; exitAfterRelease?: boolean }) {
  const script = `
    const { diskStorage } = await import(${JSON.stringify(built)});
    const s = diskStorage({ workspaceRoot: ${JSON.stringify(tmp)}, keepRunLockMs: ${options.keepRunLockMs ?? 0} });
    let release;
    process.stdout.write("asking\\n");
    try { release = await s.lock(${JSON.stringify(sessionId)}, { timeoutMs: ${options.timeoutMs} }); }
    catch (e) { process.stdout.write("refused " + e.code + "\\n"); process.exit(0); }
    process.stdout.write("held\\n");
    ${options.exitAfterRelease ? 'await release(); process.stdout.write("released\\n"); process.exit(0);' : 'process.stdin.on("end", async () => { await release(); process.stdout.write("released\\n"); }); process.stdin.resume();'}
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    said: (text: string) => new Promise<void>((resolve) => (out.includes(text) ? resolve() : waiters.push({ text, resolve }))),
    output: () => out,
    letGo: () => child.stdin.end(),
    exited,
  };
}

describe("run locks kept between runs (lease)", () => {
  it("a released run lock is kept and taken again by the next run: the same file, nothing created or removed; close() removes it", async () => {
    await (await s.lock("kept"))();
    const first = await stat(s.lockPath("kept", "run"));
    await (await s.lock("kept"))();
    const second = await stat(s.lockPath("kept", "run"));
    expect([second.ino, second.mtimeMs, second.ctimeMs]).toEqual([first.ino, first.mtimeMs, first.ctimeMs]);
    await s.close();
    expect(existsSync(s.lockPath("kept", "run"))).toBe(false);
  });

  it("a kept lock still excludes another adapter while in use, and goes to it at once when released (attack: a lease held past its user's release starves other processes)", async () => {
    const other = diskStorage({ workspaceRoot: tmp, keepRunLockMs: 0 });
    const release = await s.lock("shared");
    await expect(other.lock("shared", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
    const waiting = other.lock("shared", { timeoutMs: 20_000 });
    await release();
    await (await waiting)();
    // Idle (kept) and asked for: given up without the lease running out.
    await (await s.lock("shared"))();
    await (await other.lock("shared", { timeoutMs: 20_000 }))();
  });

  it("another process gets a kept idle lock by asking for it, and the keeper's next run waits for that process (exclusion across processes)", async () => {
    await (await s.lock("cross"))();
    const child = childLock("cross", { timeoutMs: 20_000 });
    await child.said("held");
    await expect(s.lock("cross", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
    const mine = s.lock("cross", { timeoutMs: 20_000 });
    child.letGo();
    await (await mine)();
    await child.exited;
    expect(child.output()).toContain("released");
  });

  it("a process waiting for a lock gets it although its holder takes it again at once, run after run (attack: a busy writer starves another process)", { timeout: 60_000 }, async () => {
    const child = childLock("loop", { timeoutMs: 20_000 });
    let asked = false;
    void child.said("asking").then(() => (asked = true));
    let turnsWhileAsked = 0;
    // This process uses the lock in a loop until the child got it (then it waits for the child, which lets go at once).
    void child.said("held").then(() => child.letGo());
    while (!child.output().includes("held") && !child.output().includes("refused")) {
      await (await s.lock("loop", { timeoutMs: 20_000 }))();
      if (asked) turnsWhileAsked++;
    }
    await child.exited;
    expect(child.output()).toContain("released");
    // Before, the waiter's retries kept missing the moments the lock was free: it waited 10 s and more while the holder ran thousands of times.
    expect(turnsWhileAsked).toBeLessThan(100);
  });

  it("a process cannot take a run lock this process is using (attack: a second process runs the session concurrently)", async () => {
    const release = await s.lock("busy");
    const child = childLock("busy", { timeoutMs: 300 });
    await child.exited;
    expect(child.output()).toContain("refused STORAGE_CONFLICT");
    await release();
  });

  it("a process that exits keeping a run lock removes it", async () => {
    const child = childLock("exiting", { timeoutMs: 5_000, keepRunLockMs: LONG_MS, exitAfterRelease: true });
    await child.exited;
    expect(child.output()).toContain("released");
    expect(existsSync(s.lockPath("exiting", "run"))).toBe(false);
  });

  it("a kept lock that someone else took over meanwhile is not taken again (attack: the keeper ran beside the new owner)", async () => {
    await (await s.lock("stolen"))();
    const path = s.lockPath("stolen", "run");
    await rm(path);
    const thief = diskStorage({ workspaceRoot: tmp, keepRunLockMs: 0 });
    const theirs = await thief.lock("stolen");
    await expect(s.lock("stolen", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
    await theirs();
    await (await s.lock("stolen", { timeoutMs: 5_000 }))();
  });

  it("a lock older than a quarter of the stale age is not taken again: it is created anew, so other hosts never see a held lock as stale", async () => {
    // A quarter of the stale age is 100 ms: the first lock is released well inside it (and
    // kept), and 150 ms later it is older than that.
    const young = diskStorage({ workspaceRoot: tmp, keepRunLockMs: LONG_MS, staleLockMs: 400 });
    try {
      // The owner is written while the taker goes on: read it once it is there.
      const owner = async (): Promise<string> => {
        for (let tries = 0; ; tries++) {
          try {
            return (JSON.parse(await readFile(young.lockPath("aging", "run"), "utf8")) as { token: string }).token;
          } catch (e) {
            // Created, owner not written yet (or caught mid-write).
            if (tries > 400) throw e;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      };
      // Owners are read while their lock is held: a release that was slow (not kept) cannot remove the file first.
      const release = await young.lock("aging");
      const first = await owner();
      await release();
      await new Promise((resolve) => setTimeout(resolve, 150));
      const again = await young.lock("aging");
      expect(await owner()).not.toBe(first);
      await again();
    } finally {
      await young.close();
    }
  });
});

describe("commit locks kept between commits (lease)", () => {
  const write = async (storage: DiskStorage, content: string): Promise<number> => {
    const start = await storage.snapshot("c");
    const plan = planCommit(start.entries, { entries: [{ op: "write", path: "out.txt", data: new TextEncoder().encode(content) }] });
    return (await storage.commit("c", plan, { expectedVersion: start.metadata.version })).version;
  };

  it("a commit's lock file is kept and taken again by the next commit: the same file, nothing created or removed; close() removes it", async () => {
    await s.createSession(testSessionMetadata("c"));
    await write(s, "one");
    const first = await stat(s.lockPath("c", "commit"));
    await write(s, "two");
    const second = await stat(s.lockPath("c", "commit"));
    expect([second.ino, second.mtimeMs, second.ctimeMs]).toEqual([first.ino, first.mtimeMs, first.ctimeMs]);
    await s.close();
    expect(existsSync(s.lockPath("c", "commit"))).toBe(false);
  });

  it("another adapter (as another process) commits, reads and recovers while the lock is kept idle: it asks for it and gets it (attack: a kept commit lock starves other writers)", async () => {
    const other = diskStorage({ workspaceRoot: tmp, keepRunLockMs: 0 });
    await s.createSession(testSessionMetadata("c"));
    expect(await write(s, "mine")).toBe(1);
    // Kept far longer than this test: the other adapter gets it only by asking.
    expect(await write(other, "theirs")).toBe(2);
    expect(await write(s, "mine again")).toBe(3);
    expect(await other.updateSession("c", { autoPersistGlobals: true })).toMatchObject({ version: 3 });
    expect(new TextDecoder().decode(await other.readFile("c", "out.txt"))).toBe("mine again");
    expect(await write(other, "last")).toBe(4);
    expect(new TextDecoder().decode(await s.readFile("c", "out.txt"))).toBe("last");
    await other.close();
  });
});
