/**
 * A full volume: a commit that runs out of space fails with a typed StorageError,
 * removes its half-written staging area at once (other sessions on the volume can
 * write again right away), and leaves the session as it was. Needs a real small
 * file system, so it mounts a 2 MiB tmpfs — possible as root (CI runs as root);
 * elsewhere the test is skipped and says why.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StorageError } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";

const canMount = process.getuid?.() === 0;
let mountPoint: string;

describe.skipIf(!canMount)("disk storage on a full volume (2 MiB tmpfs; needs root to mount)", () => {
  beforeAll(async () => {
    mountPoint = await mkdtemp(join(tmpdir(), "llm-sandbox-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint]);
  });
  afterAll(async () => {
    execFileSync("umount", [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it("ENOSPC mid-commit is a StorageError, the staging area is removed at once, nothing of the commit is applied", async () => {
    const s = diskStorage({ workspaceRoot: mountPoint });
    await s.createSession(testSessionMetadata("victim"));
    await s.createSession(testSessionMetadata("neighbour"));
    await s.writeFile("victim", "keep.txt", new TextEncoder().encode("kept"));
    const big = Array.from({ length: 6 }, (_, i) => ({ op: "write" as const, path: `big/${i}.bin`, data: new Uint8Array(512 * 1024).fill(7) }));
    const err = await commitJournal(s, "victim", { entries: [...big, { op: "delete", path: "keep.txt" }] }).catch((e: unknown) => e);
    expect(StorageError.isInstance(err), String(err)).toBe(true);
    expect(String(err)).toMatch(/no space left on the volume \(ENOSPC\).*nothing was written/);
    // Cleaned up at once, not at the next access to the session.
    expect(await readdir(join(mountPoint, "victim"))).not.toContain(".commit");
    expect((await readdir(join(mountPoint, "victim"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect((await s.listFiles("victim")).map((e) => e.path)).toEqual(["keep.txt"]);
    expect(await s.getSession("victim")).toMatchObject({ version: 1, fileCount: 1 });
    // The space is free again: another session on the volume commits 1 MiB right away.
    await s.writeFile("neighbour", "one-mib.bin", new Uint8Array(1024 * 1024));
    expect((await s.getSession("neighbour"))?.sizeBytes).toBe(1024 * 1024);
    // Kept locks hold descriptors on the volume until the adapter is closed.
    await s.close();
  });
});
