import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JournalEntry } from "@llm-wasm-sandbox/core";
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
