/**
 * How long a commit makes its caller wait is set by how many ROUNDS of fsyncs it
 * waits for: fsyncs in flight together share one journal commit of the file
 * system; one issued after another returned waits for a commit of its own. A small
 * commit waits for none once its session has an intent slot: one fdatasync of the
 * slot, overwritten in place. Every sync the adapter makes goes through a
 * FileHandle, so counting calls to FileHandle#sync and #datasync (and when they
 * return) shows the rounds.
 */
import { constants, promises as fspNamespace } from "node:fs";
import * as fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planCommit } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";
import { INLINE_COMMIT_BYTES } from "../src/inline-commit.js";

type Event = "issued" | "returned" | "durable" | "datasync" | "dsync-open";
let events: Event[] = [];
let handleProto: { sync: () => Promise<void>; datasync: () => Promise<void> };
let realSync: () => Promise<void>;
let realDatasync: () => Promise<void>;
let realOpen: typeof fspNamespace.open;
let tmp: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-rounds-proto-"));
  const handle = await fsp.open(dir, "r");
  handleProto = Object.getPrototypeOf(handle) as typeof handleProto;
  await handle.close();
  await rm(dir, { recursive: true });
  realSync = handleProto.sync;
  realDatasync = handleProto.datasync;
  handleProto.sync = async function (this: unknown) {
    events.push("issued");
    try {
      return await realSync.call(this);
    } finally {
      events.push("returned");
    }
  };
  handleProto.datasync = async function (this: unknown) {
    events.push("datasync");
    return realDatasync.call(this);
  };
  realOpen = fspNamespace.open;
  fspNamespace.open = async (path: unknown, flags?: unknown, mode?: unknown) => {
    if (typeof path === "string" && path.endsWith("/.intent") && typeof flags === "number" && (flags & constants.O_DSYNC) !== 0) events.push("dsync-open");
    return realOpen(path as string, flags as number, mode as number);
  };
  syncBuiltinESMExports();
});
afterAll(() => {
  handleProto.sync = realSync;
  handleProto.datasync = realDatasync;
  fspNamespace.open = realOpen;
  syncBuiltinESMExports();
});
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-rounds-"));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

/**
 * Makes `commits` commits of one file of `bytes` bytes to a new session; returns the
 * sync events of the last one up to its "intent-written" phase (after it the caller
 * waits only for renames, then is answered) and those after it (step 4, which the
 * caller does not wait for: commit-finish.test.ts).
 */
async function commitOneFile(bytes: number, sync = true, commits = 1): Promise<{ waited: Event[]; after: Event[] }> {
  const storage = diskStorage({ workspaceRoot: tmp, fsync: sync, onCommitPhase: (phase) => void (phase === "intent-written" && events.push("durable")) });
  await storage.createSession(testSessionMetadata("s"));
  for (let i = 0; i < commits; i++) {
    const start = await storage.snapshot("s");
    const plan = planCommit(start.entries, { entries: [{ op: "write", path: "out.bin", data: new Uint8Array(bytes).fill(i + 1) }] });
    events = [];
    await storage.commit("s", plan, { expectedVersion: start.metadata.version });
  }
  await storage.close();
  const at = events.indexOf("durable");
  expect(at).toBeGreaterThanOrEqual(0);
  return { waited: events.slice(0, at), after: events.slice(at + 1) };
}

/** Rounds of fsyncs in a sequence of events: a new round starts at an fsync issued after one returned. */
function rounds(seq: readonly Event[]): number {
  let count = 0;
  let returnedSince = true;
  for (const e of seq) {
    if (e === "issued" && returnedSince) {
      count++;
      returnedSince = false;
    } else if (e === "returned") returnedSince = true;
  }
  return count;
}

describe("syncs a commit's caller waits for", () => {
  it("a one-file 1 KB commit: ONE durable write (O_DSYNC) over the session's intent slot, no fsync", async () => {
    const { waited, after } = await commitOneFile(1024, true, 2);
    expect(waited).toEqual(["dsync-open"]);
    // Step 4, after the caller was answered: the staged file and session.json (now in place) and the two directories (the retirement is a durable write too).
    expect(after.filter((e) => e === "issued")).toHaveLength(4);
  });

  it("the session's first small commit creates its slot: ONE round (the slot and the session directory, issued together)", async () => {
    const { waited } = await commitOneFile(1024);
    expect(rounds(waited)).toBe(1);
    expect(waited.filter((e) => e === "issued")).toHaveLength(2);
    expect(waited).toContain("dsync-open");
  });

  it(`a commit over INLINE_COMMIT_BYTES (${INLINE_COMMIT_BYTES} bytes) takes the large path: more than one round (staging, then the rename's fsync)`, async () => {
    // Each staged file is fsynced as soon as it is written, so staging alone may count as several rounds on a busy machine.
    const { waited } = await commitOneFile(INLINE_COMMIT_BYTES + 1);
    expect(rounds(waited)).toBeGreaterThanOrEqual(2);
  });

  it("with fsync: false no sync at all", async () => {
    const { waited, after } = await commitOneFile(1024, false, 2);
    expect([...waited, ...after]).toEqual([]);
  });
});
