import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type JournalEntry, StorageConflictError } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-snapshot-"));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const writes = (dir: string): JournalEntry[] =>
  Array.from({ length: 5 }, (_, i) => ({ op: "write", path: `${dir}/${i}.txt`, data: new TextEncoder().encode(dir) }));

it("a listing requested while another adapter is applying a commit shows one generation, whole", async () => {
  const pending: Array<Promise<string[]>> = [];
  const reader: DiskStorage = diskStorage({ workspaceRoot: tmp });
  // At every applied step of the commit, a second adapter on the same root (as
  // another process would) asks for a listing.
  const writer = diskStorage({
    workspaceRoot: tmp,
    onCommitPhase: (phase) => {
      if (phase === "applied-op") pending.push(reader.listFiles("s").then((l) => l.map((e) => e.path)));
    },
  });
  await writer.createSession(testSessionMetadata("s"));
  await commitJournal(writer, "s", { entries: writes("old") });
  await commitJournal(writer, "s", { entries: [{ op: "delete", path: "old" }, ...writes("new")] });
  const seen = await Promise.all(pending);
  expect(seen.length).toBeGreaterThanOrEqual(6);
  for (const paths of seen) {
    const hasOld = paths.some((p) => p.startsWith("old/"));
    const hasNew = paths.some((p) => p.startsWith("new/"));
    expect(hasOld !== hasNew, paths.join(",")).toBe(true);
    expect(paths.filter((p) => p.endsWith(".txt"))).toHaveLength(5);
  }
});

it("a snapshot's read refuses a file another writer replaced after the listing, instead of serving another version's bytes", async () => {
  const enc = new TextEncoder();
  const run = diskStorage({ workspaceRoot: tmp });
  const writer = diskStorage({ workspaceRoot: tmp }); // commits without the session lock, as another process may
  await run.createSession(testSessionMetadata("s"));
  const big = new Uint8Array(100 * 1024).fill(7); // past the synchronous read's size: read through the thread pool
  await commitJournal(writer, "s", {
    entries: [
      { op: "write", path: "data.json", data: enc.encode('{"n": 99}') },
      { op: "write", path: "same.txt", data: enc.encode("kept") },
      { op: "write", path: "big.bin", data: big },
    ],
  });
  const snap = await run.snapshot("s");
  await commitJournal(writer, "s", {
    entries: [
      { op: "write", path: "data.json", data: enc.encode('{"n": 1000}') },
      { op: "write", path: "big.bin", data: big.slice(1) },
    ],
  });
  await expect(snap.read("data.json")).rejects.toSatisfy(StorageConflictError.isInstance);
  await expect(snap.read("big.bin")).rejects.toSatisfy(StorageConflictError.isInstance);
  expect(new TextDecoder().decode(await snap.read("same.txt"))).toBe("kept");
  // A new snapshot reads the new version.
  expect(new TextDecoder().decode(await (await run.snapshot("s")).read("data.json"))).toBe('{"n": 1000}');
});
