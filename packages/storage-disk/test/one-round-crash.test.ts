/**
 * The crash rules of a small commit (one fsync round; commit-log.ts): its commit
 * point is an intent whose checksum verifies. A child process commits the "new"
 * generation and is SIGKILLed at a phase; then the files a power cut could have
 * left are made by hand (an intent cut at a byte boundary, a tail of zeros, staged
 * files short or missing), and the next access must find one generation, whole.
 */
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";
import { decodeIntent, encodeInlineIntent } from "../src/intent.js";
import { buildChild, killedAt, oneGeneration, prepareOld, type Shape } from "./fixtures/crash-harness.js";

let tmp: string;
let child: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-one-round-"));
  child = await buildChild(tmp);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let cases = 0;

/** A workspace whose commit of the new generation was killed at `killAt`; returns the root and the old version. */
async function crashed(shape: Shape, killAt: string, fsync = true): Promise<{ root: string; commitDir: string; oldVersion: number }> {
  const root = join(tmp, `case-${cases++}`);
  await prepareOld(root, shape);
  const oldVersion = (await diskStorage({ workspaceRoot: root }).getSession("crash"))?.version ?? -1;
  expect(await killedAt(child, root, shape, killAt, fsync)).toBe("SIGKILL");
  return { root, commitDir: join(root, "crash", ".commit"), oldVersion };
}

/** Byte offsets worth cutting a v2 intent at: every structural boundary ±1, and a spread in between. */
function cutPoints(intent: Uint8Array): number[] {
  const headLength = new DataView(intent.buffer, intent.byteOffset + 8, 4).getUint32(0, true);
  const points = new Set<number>([0, 1, 7, 8, 9, 11, 12, 13, 12 + headLength - 1, 12 + headLength, 12 + headLength + 1, intent.length - 33, intent.length - 32, intent.length - 31, intent.length - 1]);
  for (let at = 0; at < intent.length; at += 97) points.add(at);
  return [...points].filter((p) => p >= 0 && p < intent.length).sort((a, b) => a - b);
}

describe.each([
  { name: "one 1 KB file", shape: { files: 1, bytes: 1024 } },
  { name: "3 files × 1 KB", shape: { files: 3, bytes: 1024 } },
])("a small commit ($name) under crashes", ({ shape }) => {
  it("is made in one round: killed before the intent is written (created, empty) it rolls back; killed once the round returned, its intent is a verified v2 record and it rolls forward", async () => {
    const before = await crashed(shape, "staged");
    expect(existsSync(join(before.commitDir, "s0"))).toBe(true);
    expect(statSync(join(before.commitDir, "intent.json")).size).toBe(0);
    expect((await oneGeneration(before.root, shape)).generation).toBe("old");

    const after = await crashed(shape, "intent-written");
    expect(existsSync(join(after.commitDir, "intent.json.tmp"))).toBe(false);
    expect(decodeIntent(await readFile(join(after.commitDir, "intent.json"))).kind).toBe("v2");
    expect(await oneGeneration(after.root, shape)).toEqual({ generation: "new", version: after.oldVersion + 1 });
  });

  it("a torn intent (cut at any structural byte boundary) rolls back to the old state", async () => {
    const { root, commitDir, oldVersion } = await crashed(shape, "intent-written");
    const saved = join(root, "saved-commit");
    await cp(commitDir, saved, { recursive: true });
    const intent = await readFile(join(saved, "intent.json"));
    const points = cutPoints(intent);
    expect(points.length).toBeGreaterThan(15);
    for (const at of points) {
      await cp(saved, commitDir, { recursive: true });
      await truncate(join(commitDir, "intent.json"), at);
      expect(await oneGeneration(root, shape), `intent cut at byte ${at} of ${intent.length}`).toEqual({ generation: "old", version: oldVersion });
    }
  });

  it("a power cut that kept the intent's length but not its last blocks (a tail of zeros) rolls back", async () => {
    const { root, commitDir, oldVersion } = await crashed(shape, "intent-written");
    const saved = join(root, "saved-commit");
    await cp(commitDir, saved, { recursive: true });
    const intent = await readFile(join(saved, "intent.json"));
    for (const from of [0, 12, Math.floor(intent.length / 2), intent.length - 32, intent.length - 1]) {
      await cp(saved, commitDir, { recursive: true });
      const zeroed = Uint8Array.from(intent);
      zeroed.fill(0, from);
      await writeFile(join(commitDir, "intent.json"), zeroed);
      expect(await oneGeneration(root, shape), `zeros from byte ${from}`).toEqual({ generation: "old", version: oldVersion });
    }
  });

  it("a verified intent whose staged files are missing, short or empty (never reached the disk) rolls forward from the intent's own bytes", async () => {
    for (const damage of ["missing", "short", "empty"] as const) {
      const { root, commitDir, oldVersion } = await crashed(shape, "intent-written");
      for (const name of ["s0", `s${shape.files}`, "session.json"]) {
        const path = join(commitDir, name);
        if (damage === "missing") await rm(path);
        else await truncate(path, damage === "short" ? 3 : 0);
      }
      expect(await oneGeneration(root, shape), damage).toEqual({ generation: "new", version: oldVersion + 1 });
    }
  });

  it("replay is idempotent: recovering again and again (the removal of .commit lost each time) gives the same new state and version", async () => {
    const { root, commitDir, oldVersion } = await crashed(shape, "intent-written");
    const saved = join(root, "saved-commit");
    await cp(commitDir, saved, { recursive: true });
    for (let replay = 0; replay < 3; replay++) {
      await cp(saved, commitDir, { recursive: true });
      expect(await oneGeneration(root, shape), `replay ${replay}`).toEqual({ generation: "new", version: oldVersion + 1 });
    }
  });

  it("killed once applying began (the removal and the mkdir made), with the staged files then cut short, still rolls forward whole", async () => {
    // ops: the removal of old-only, the mkdir of new-only, then the writes (moved concurrently); killed before any was moved.
    const { root, commitDir, oldVersion } = await crashed(shape, "op:1");
    expect(existsSync(join(commitDir, "intent.json"))).toBe(true);
    expect(existsSync(join(root, "crash", "files", "old-only"))).toBe(false);
    for (let n = 0; n <= shape.files; n++) await truncate(join(commitDir, `s${n}`), 1);
    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: oldVersion + 1 });
  });

  it("without fsync (fsync: false) a process killed once its intent was written rolls forward", async () => {
    const { root, oldVersion } = await crashed(shape, "intent-written", false);
    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: oldVersion + 1 });
  });
});

describe("a small commit with a record (an idempotent run), found as a verified intent alone", () => {
  it("rolls forward the files, the metadata and the record from the intent's bytes; a torn copy of it rolls back", async () => {
    const root = join(tmp, "record-case");
    const s = diskStorage({ workspaceRoot: root });
    await s.createSession(testSessionMetadata("r"));
    const before = await s.getSession("r");
    if (!before) throw new Error("no session");
    const recordName = createHash("sha256").update("key-1", "utf8").digest("hex");
    const intent = encodeInlineIntent({
      removals: [],
      mkdirs: ["out"],
      writes: [{ path: "out/a.txt", staged: "s0" }],
      metadata: { ...before, version: before.version + 1, sizeBytes: 5, fileCount: 1, executionCount: 1 },
      data: [new TextEncoder().encode("hello")],
      record: { name: recordName },
      recordData: new TextEncoder().encode('{"stored":true}'),
    });
    const commitDir = join(root, "r", ".commit");
    // A torn copy first: nothing of it may appear.
    await mkdir(commitDir);
    await writeFile(join(commitDir, "intent.json"), intent.subarray(0, intent.length - 1));
    expect((await s.listFiles("r")).map((e) => e.path)).toEqual([]);
    expect(await s.readRecord("r", "key-1")).toBeNull();
    expect((await s.getSession("r"))?.version).toBe(before.version);
    // Then the whole one, with no staged file at all.
    await mkdir(commitDir);
    await writeFile(join(commitDir, "intent.json"), intent);
    expect(new TextDecoder().decode(await s.readFile("r", "out/a.txt"))).toBe("hello");
    expect(new TextDecoder().decode((await s.readRecord("r", "key-1")) ?? new Uint8Array())).toBe('{"stored":true}');
    expect(await s.getSession("r")).toMatchObject({ version: before.version + 1, sizeBytes: 5, fileCount: 1, executionCount: 1 });
    expect(existsSync(commitDir)).toBe(false);
    await s.close();
  });
});
