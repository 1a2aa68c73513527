/**
 * Idempotency records on disk age by their file's mtime: past RECORD_RETENTION_MS
 * and beyond the latest RECORDS_KEPT they are dropped by the next commit that
 * stores a record; younger ones stay however many commits came after them.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyPlan, RECORD_RETENTION_MS, RECORDS_KEPT } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

let tmp: string;
let s: DiskStorage;
const enc = new TextEncoder();

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-records-"));
  s = diskStorage({ workspaceRoot: tmp, fsync: false });
  await s.createSession(testSessionMetadata("r"));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

async function store(key: string): Promise<void> {
  const snap = await s.snapshot("r");
  await s.commit("r", emptyPlan(snap.metadata), { expectedVersion: snap.metadata.version, record: { key, data: enc.encode(key) } });
}

it(`drops records older than the retention beyond the latest ${RECORDS_KEPT}, at the next commit with a record`, async () => {
  for (let i = 0; i < RECORDS_KEPT + 5; i++) await store(`old${i}`);
  // Age them all past the retention (oldest first, one second apart).
  const dir = join(tmp, "r", "records");
  expect(await readdir(dir)).toHaveLength(RECORDS_KEPT + 5);
  for (let i = 0; i < RECORDS_KEPT + 5; i++) {
    const when = (Date.now() - RECORD_RETENTION_MS - 60_000 + i * 1000) / 1000;
    await utimes(join(dir, nameOf(`old${i}`)), when, when);
  }
  expect(await s.readRecord("r", "old0")).not.toBeNull();
  await store("new");
  // 69 old + 1 new: the latest 64 are kept (old6..old68 and new), the six oldest are gone.
  for (let i = 0; i < 6; i++) expect(await s.readRecord("r", `old${i}`)).toBeNull();
  expect(await s.readRecord("r", "old6")).not.toBeNull();
  expect(await s.readRecord("r", "new")).not.toBeNull();
  expect(await readdir(dir)).toHaveLength(RECORDS_KEPT);
});

/** A record's file name (the adapter names it by a hash of the key). */
function nameOf(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
