/**
 * The crash rules of a small commit (commit-log.ts): its commit point is a pending
 * record in the session's intent slot (intent-slot.ts) that verifies and commits the
 * session's next version. A child process commits the "new" generation and is
 * SIGKILLed at a phase; then the files a power cut could have left are made by hand (a
 * record torn in the middle of its overwrite, a tail of zeros, staged files short or
 * missing, `.commit/` lost, a retirement lost), and the next access must find one
 * generation, whole.
 */
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyPlan } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";
import { encodeInlineIntent } from "../src/intent.js";
import { readPendingSlot, SLOT, slotPendingSync } from "../src/intent-slot.js";
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

/** A workspace whose commit of the new generation was killed at `killAt`; returns its paths, the old version and the slot as the old commit left it. */
async function crashed(shape: Shape, killAt: string, fsync = true): Promise<{ root: string; session: string; commitDir: string; slot: string; oldSlot: Uint8Array; oldVersion: number }> {
  const root = join(tmp, `case-${cases++}`);
  await prepareOld(root, shape);
  const session = join(root, "crash");
  const slot = join(session, SLOT);
  const oldSlot = await readFile(slot);
  const oldVersion = (await diskStorage({ workspaceRoot: root }).getSession("crash"))?.version ?? -1;
  expect(await killedAt(child, root, shape, killAt, fsync)).toBe("SIGKILL");
  return { root, session, commitDir: join(session, ".commit"), slot, oldSlot, oldVersion };
}

/** Where the slot's record ends (its head and the v2 record, before the padding). */
function recordEnd(slot: Uint8Array): number {
  return 8 + new DataView(slot.buffer, slot.byteOffset + 4, 4).getUint32(0, true);
}

/**
 * The generation a damaged slot must leave: the old one, unless the damage happened to
 * leave the new record's bytes as they were (a cut at its last byte over an old byte of the
 * same value, or zeros over a zero digest byte: one chance in 256 each) — then the slot
 * holds the whole new record, its commit point was reached, and it rolls forward.
 */
function afterDamage(damaged: Uint8Array, written: Uint8Array, oldVersion: number): { generation: string; version: number } {
  const end = recordEnd(written);
  const whole = Buffer.from(damaged.subarray(0, end)).equals(written.subarray(0, end));
  return whole ? { generation: "new", version: oldVersion + 1 } : { generation: "old", version: oldVersion };
}

/** Offsets worth cutting the new record at: every structural boundary of the slot and of its v2 record ±1, and a spread in between. */
function cutPoints(slot: Uint8Array): number[] {
  const headLength = new DataView(slot.buffer, slot.byteOffset + 8 + 8, 4).getUint32(0, true);
  const end = recordEnd(slot);
  const body = 8 + 12 + headLength;
  const points = new Set<number>([1, 4, 7, 8, 9, 15, 16, 17, 19, 20, 21, body - 1, body, body + 1, end - 33, end - 32, end - 31, end - 1]);
  for (let at = 0; at < end; at += 97) points.add(at);
  return [...points].filter((p) => p > 0 && p < end).sort((a, b) => a - b);
}

describe.each([
  { name: "one 1 KB file", shape: { files: 1, bytes: 1024 } },
  { name: "3 files × 1 KB", shape: { files: 3, bytes: 1024 } },
])("a small commit ($name) under crashes", ({ shape }) => {
  it("killed before its record is written it rolls back; killed once the record is durable, the slot holds a verified pending record of the next version and it rolls forward", async () => {
    const before = await crashed(shape, "staged");
    expect(existsSync(join(before.commitDir, "s0"))).toBe(true);
    expect(slotPendingSync(before.session)).toBe(false);
    expect((await oneGeneration(before.root, shape)).generation).toBe("old");

    const after = await crashed(shape, "intent-written");
    expect(existsSync(join(after.commitDir, "intent.json"))).toBe(false);
    const committed = JSON.parse(await readFile(join(after.session, "session.json"), "utf8")) as { version: number };
    expect((await readPendingSlot(after.session, { version: committed.version, json: JSON.stringify(committed) }))?.metadata.version).toBe(after.oldVersion + 1);
    expect(await oneGeneration(after.root, shape)).toEqual({ generation: "new", version: after.oldVersion + 1 });
    // Rolled forward and retired: never rolled forward again.
    expect(slotPendingSync(after.session)).toBe(false);
  });

  it("a record torn in the middle of its overwrite (new bytes up to any structural boundary, the old record's after it) rolls back to the old state", async () => {
    const { root, commitDir, slot, oldSlot, oldVersion } = await crashed(shape, "intent-written");
    const saved = join(root, "saved-commit");
    await cp(commitDir, saved, { recursive: true });
    const written = await readFile(slot);
    const points = cutPoints(written);
    expect(points.length).toBeGreaterThan(15);
    for (const at of points) {
      await rm(commitDir, { recursive: true, force: true });
      await cp(saved, commitDir, { recursive: true });
      const torn = Uint8Array.from(oldSlot.length >= written.length ? oldSlot : [...oldSlot, ...new Uint8Array(written.length - oldSlot.length)]);
      torn.set(written.subarray(0, at));
      await writeFile(slot, torn);
      expect(await oneGeneration(root, shape), `record cut at byte ${at} of ${written.length}`).toEqual(afterDamage(torn, written, oldVersion));
    }
  });

  it("a power cut that kept the slot's length but not its last blocks (a tail of zeros) rolls back", async () => {
    const { root, commitDir, slot, oldVersion } = await crashed(shape, "intent-written");
    const saved = join(root, "saved-commit");
    await cp(commitDir, saved, { recursive: true });
    const written = await readFile(slot);
    const end = recordEnd(written);
    for (const from of [8, 20, Math.floor(end / 2), end - 32, end - 1]) {
      await rm(commitDir, { recursive: true, force: true });
      await cp(saved, commitDir, { recursive: true });
      const zeroed = Uint8Array.from(written);
      zeroed.fill(0, from);
      await writeFile(slot, zeroed);
      expect(await oneGeneration(root, shape), `zeros from byte ${from}`).toEqual(afterDamage(zeroed, written, oldVersion));
    }
  });

  it("a power cut that lost `.commit/` (never synced before the commit point) but kept the record: the first read of the session rolls it forward", async () => {
    const { root, commitDir, oldVersion } = await crashed(shape, "intent-written");
    await rm(commitDir, { recursive: true });
    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: oldVersion + 1 });
  });

  it("a verified record whose staged files are missing, short or empty (never reached the disk) rolls forward from its own bytes", async () => {
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

  it("replay is idempotent: recovering again and again (the retirement and the removal of .commit lost each time) gives the same new state and version", async () => {
    const { root, commitDir, slot, oldVersion } = await crashed(shape, "intent-written");
    const saved = join(root, "saved-commit");
    await cp(commitDir, saved, { recursive: true });
    const pending = await readFile(slot);
    for (let replay = 0; replay < 3; replay++) {
      await cp(saved, commitDir, { recursive: true });
      await writeFile(slot, pending);
      expect(await oneGeneration(root, shape), `replay ${replay}`).toEqual({ generation: "new", version: oldVersion + 1 });
    }
    // Applied in full and session.json renamed, then the power went: no `.commit/`, the record still pending (same version).
    await writeFile(slot, pending);
    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: oldVersion + 1 });
  });

  it("a retired record is never rolled forward, and a pending one older than the session is not either (attack: a stale record replayed over newer commits)", async () => {
    const { root, commitDir, slot, oldVersion } = await crashed(shape, "intent-written");
    const pending = await readFile(slot);
    const retired = Uint8Array.from(pending);
    retired[0] = 0x52;
    await writeFile(slot, retired);
    expect(await oneGeneration(root, shape)).toEqual({ generation: "old", version: oldVersion });
    expect(existsSync(commitDir)).toBe(false);
    // The session moves two versions on (two commits that change no file); then the old record is found pending again.
    const s = diskStorage({ workspaceRoot: root });
    for (let i = 0; i < 2; i++) {
      const start = await s.snapshot("crash");
      await s.commit("crash", emptyPlan(start.metadata), { expectedVersion: start.metadata.version });
    }
    await s.close();
    await writeFile(slot, pending);
    expect(await oneGeneration(root, shape)).toEqual({ generation: "old", version: oldVersion + 2 });
    expect(slotPendingSync(join(root, "crash"))).toBe(false);
  });

  it("killed once applying began (the removal and the mkdir made), with the staged files then cut short, still rolls forward whole", async () => {
    // ops: the removal of old-only, the mkdir of new-only, then the writes (moved concurrently); killed before any was moved.
    const { root, commitDir, session, oldVersion } = await crashed(shape, "op:1");
    expect(slotPendingSync(session)).toBe(true);
    expect(existsSync(join(root, "crash", "files", "old-only"))).toBe(false);
    for (let n = 0; n <= shape.files; n++) await truncate(join(commitDir, `s${n}`), 1);
    expect(await oneGeneration(root, shape)).toEqual({ generation: "new", version: oldVersion + 1 });
  });

  it("without fsync (fsync: false) a process killed once its record was written rolls forward", async () => {
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
