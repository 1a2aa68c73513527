/**
 * A guest reading a workspace file waits for the host to read it: a small file at a
 * shallow path is read synchronously (a few microseconds instead of a handful of
 * thread-pool round trips), anything else through the pool — and the synchronous
 * path never reads more than QUICK_READ_BYTES, whatever sits in the workspace.
 */
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileNotFoundError } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";
import { QUICK_READ_BYTES, readSmallRegularFileSync } from "../src/safe-fs.js";

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-quick-read-"));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

describe("reading workspace files", () => {
  it("returns every byte of files around the synchronous limit, at shallow and deep paths", async () => {
    const s = diskStorage({ workspaceRoot: tmp });
    await s.createSession(testSessionMetadata("s"));
    const deep = Array.from({ length: 12 }, (_, i) => `d${i}`).join("/");
    const sizes = [0, 1, 1024, QUICK_READ_BYTES, QUICK_READ_BYTES + 1, 300_000];
    await commitJournal(s, "s", { entries: sizes.flatMap((n, i) => [{ op: "write" as const, path: `f${n}.bin`, data: bytes(n, i) }, { op: "write" as const, path: `${deep}/f${n}.bin`, data: bytes(n, i) }]) });
    for (const [i, n] of sizes.entries()) {
      for (const path of [`f${n}.bin`, `${deep}/f${n}.bin`]) {
        const read = await s.readFile("s", path);
        expect(read.byteLength, path).toBe(n);
        expect(read.every((b) => b === i), path).toBe(true);
        const snapshot = await s.snapshot("s");
        expect((await snapshot.read(path)).byteLength, `snapshot.read ${path}`).toBe(n);
      }
    }
    await expect(s.readFile("s", "missing.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
    await expect(s.readFile("s", "d0")).rejects.toSatisfy(FileNotFoundError.isInstance);
  });

  it("lists a workspace whole and sorted across the synchronous part of the walk (the first 64 lstats) and the rest", async () => {
    const s = diskStorage({ workspaceRoot: tmp });
    await s.createSession(testSessionMetadata("s"));
    const paths = Array.from({ length: 150 }, (_, i) => `${i % 3 === 0 ? "a/" : i % 3 === 1 ? "a/b/" : ""}f${String(i).padStart(3, "0")}.txt`);
    await commitJournal(s, "s", { entries: paths.map((path) => ({ op: "write" as const, path, data: bytes(3) })) });
    const listed = (await s.snapshot("s")).entries;
    expect(listed.map((e) => e.path)).toEqual([...paths, "a", "a/b"].sort());
    expect(listed.filter((e) => e.type === "file").every((e) => e.size === 3)).toBe(true);
  });

  it("never reads a huge planted file on the calling thread (a sparse 8 GiB file is left to the pool, unread)", async () => {
    const path = join(tmp, "huge.bin");
    const handle = await open(path, "w");
    await handle.truncate(8 * 1024 ** 3);
    await handle.close();
    expect(readSmallRegularFileSync(path)).toBe("large");
    await writeFile(join(tmp, "small.bin"), bytes(QUICK_READ_BYTES));
    expect(readSmallRegularFileSync(join(tmp, "small.bin"))).toHaveLength(QUICK_READ_BYTES);
  });
});
