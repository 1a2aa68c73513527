/**
 * Recovery of small commits from the intent slot (commit-log.ts `recoverFromSlot`,
 * intent-slot.ts `readPendingSlot`) in the states crashes and power cuts leave behind:
 * a record that is not this session's latest commit is never replayed, a recovery that
 * is itself killed never shows readers a half-applied workspace, and a session.json that
 * a power cut emptied is rebuilt from the slot. Plus the lease rule for lock files whose
 * owner could not be written (lock-lease.ts).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { diskStorage } from "../src/index.js";
import { SLOT, slotPendingSync } from "../src/intent-slot.js";
import type { HeldLock } from "../src/lock-file.js";
import { lockLeases } from "../src/lock-lease.js";
import { buildChild, killedAt, oneGeneration, prepareOld, type Shape } from "./fixtures/crash-harness.js";

const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const enc = new TextEncoder();
const dec = new TextDecoder();
const PENDING = 0x50;

let tmp: string;
let child: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-slot-recovery-"));
  child = await buildChild(tmp);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("a pending record in the slot is replayed only when it is the session's latest commit", () => {
  it("a record of the current version written by a commit that never happened is not replayed over the commit that made that version (attack: a failed commit's retirement lost to a power cut)", async () => {
    const root = join(tmp, "stale");
    const s = diskStorage({ workspaceRoot: root });
    await s.createSession(testSessionMetadata("s"));
    await s.writeFile("s", "a.txt", enc.encode("v1"));
    await s.close();
    const dir = join(root, "s");
    const atV1 = join(tmp, "stale-v1");
    await cp(dir, atV1, { recursive: true });

    // A small commit v1 → v2 whose record reaches the slot; then the session goes back to v1 as if it had failed.
    const failed = diskStorage({ workspaceRoot: root });
    await failed.writeFile("s", "a.txt", enc.encode("a commit its caller was told had failed"));
    await failed.close();
    const record = Uint8Array.from(await readFile(join(dir, SLOT)));
    await rm(dir, { recursive: true });
    await cp(atV1, dir, { recursive: true });

    // The caller's retry, too large for the slot (it never touches it), makes v2.
    const retry = diskStorage({ workspaceRoot: root });
    await commitJournal(retry, "s", { entries: [{ op: "write", path: "a.txt", data: enc.encode("acknowledged v2") }, { op: "write", path: "big.bin", data: new Uint8Array(100 * 1024).fill(1) }] });
    expect((await retry.getSession("s"))?.version).toBe(2);
    await retry.close();

    // A power cut brings back the failed commit's record, pending: it claims version 2, the current one.
    record[0] = PENDING;
    await writeFile(join(dir, SLOT), record);

    const after = diskStorage({ workspaceRoot: root });
    expect(dec.decode(await after.readFile("s", "a.txt"))).toBe("acknowledged v2");
    const meta = await after.getSession("s");
    const files = await after.listFiles("s");
    await after.close();
    expect(meta?.version).toBe(2);
    expect(meta?.sizeBytes).toBe(files.reduce((n, e) => n + e.size, 0));
    expect(slotPendingSync(dir)).toBe(false);
  });

  it.each([2, 4])("a record of the current version whose metadata session.json holds (its commit applied, not all of it durable) is rolled forward: killed at op:%i", async (op) => {
    const shape: Shape = { files: 3, bytes: 1024 };
    const root = join(tmp, `applied-${op}`);
    await prepareOld(root, shape);
    expect(await killedAt(child, root, shape, `op:${op}`)).toBe("SIGKILL");
    const session = join(root, "crash");
    const staged = join(session, ".commit", "session.json");
    if (existsSync(staged)) await rename(staged, join(session, "session.json"));
    expect((JSON.parse(await readFile(join(session, "session.json"), "utf8")) as { version: number }).version).toBe(2);
    expect(slotPendingSync(session)).toBe(true);

    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: 2 });
    expect(slotPendingSync(session)).toBe(false);
  });

  it("a session.json emptied by a power cut (its rename durable, its bytes not) is rebuilt from the slot's pending record, not reported damaged", async () => {
    const shape: Shape = { files: 1, bytes: 1024 };
    const root = join(tmp, "emptied");
    await prepareOld(root, shape);
    // Killed while applying, after the record was durable: the slot holds it, pending.
    expect(await killedAt(child, root, shape, "op:3")).toBe("SIGKILL");
    const session = join(root, "crash");
    expect(slotPendingSync(session)).toBe(true);
    const staged = join(session, ".commit", "session.json");
    if (existsSync(staged)) await rename(staged, join(session, "session.json"));
    // The staged session.json was never synced before its rename: some file systems bring it back empty.
    await truncate(join(session, "session.json"), 0);

    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: 2 });
    expect(slotPendingSync(session)).toBe(false);
  });
});

describe("a recovery killed while it rolls a small commit forward", () => {
  it("keeps .commit/ in place, so a reader that looked at the session before waits and then sees one whole generation (attack: recovery removed .commit/ before re-creating it)", async () => {
    // 30 files: still a small commit, and most of its moves are left when the committer dies after the second.
    const shape: Shape = { files: 30, bytes: 1024 };
    const root = join(tmp, "rekilled");
    await prepareOld(root, shape);
    const reader = diskStorage({ workspaceRoot: root });
    try {
      expect((await reader.getSession("crash"))?.version).toBe(1);
      expect(await killedAt(child, root, shape, "op:2")).toBe("SIGKILL");

      // Another process recovers and is killed at its first move of a staged file into the workspace — or
      // right after it removes the staging area, if it ever does before that.
      const recoverer = join(tmp, "recoverer.mjs");
      await writeFile(
        recoverer,
        `import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
const { rename, rm } = fsp;
fsp.rename = async (from, to) => {
  if (String(from).includes("/.commit/") && String(to).includes("/files/")) process.kill(process.pid, "SIGKILL");
  return rename(from, to);
};
fsp.rm = async (path, options) => {
  await rm(path, options);
  if (String(path).endsWith("/.commit")) process.kill(process.pid, "SIGKILL");
};
syncBuiltinESMExports();
const { diskStorage } = await import(${JSON.stringify(built)});
await diskStorage({ workspaceRoot: process.argv[2] }).getSession("crash");
`,
      );
      const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
        const proc = spawn(process.execPath, [recoverer, root], { stdio: "ignore" });
        proc.on("error", reject);
        proc.on("exit", (_code, sig) => resolve(sig));
      });
      expect(signal).toBe("SIGKILL");
      expect(existsSync(join(root, "crash", ".commit"))).toBe(true);

      const snap = await reader.snapshot("crash");
      const generations = new Set<string>();
      for (const e of snap.entries.filter((x) => x.type === "file" && x.path.startsWith("data/"))) generations.add(dec.decode((await snap.read(e.path)).subarray(0, 1)));
      generations.add(dec.decode(await snap.read("generation.txt")) === "new" ? "N" : "O");
      expect([...generations]).toEqual(["N"]);
      expect(snap.metadata.version).toBe(2);
    } finally {
      await reader.close();
    }
    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: 2 });
  });
});

describe("lock files kept between uses", () => {
  /** A held lock whose owner write settles with `written`. */
  function heldLock(path: string, written: boolean): HeldLock & { release: ReturnType<typeof vi.fn> } {
    return {
      path,
      acquiredAt: Date.now(),
      isStillOurs: () => true,
      ownerWritten: Promise.resolve(written),
      release: vi.fn(async () => undefined),
      releaseAtExit: () => undefined,
    };
  }

  it("a lock whose owner could not be written (an empty file, which others take over once it is 10 s old) is released by its user, never kept", async () => {
    const leases = lockLeases({ idleMs: 600_000, maxAgeMs: 600_000, maxIdle: 8, yieldMs: 50 });
    const unwritten = heldLock(join(tmp, "unwritten.lock"), false);
    await (await leases.acquire(unwritten.path, () => Promise.resolve(unwritten)))();
    expect(unwritten.release).toHaveBeenCalledTimes(1);

    const written = heldLock(join(tmp, "written.lock"), true);
    await (await leases.acquire(written.path, () => Promise.resolve(written)))();
    expect(written.release).not.toHaveBeenCalled();
    await leases.close();
    expect(written.release).toHaveBeenCalledTimes(1);
  });
});
