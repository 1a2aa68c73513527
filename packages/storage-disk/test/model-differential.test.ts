import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidPathError, type JournalEntry } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

/*
 * Differential test: random journals are applied both to the disk adapter and to
 * a naive model that executes the entries one by one. After every journal the
 * workspace must equal the model exactly — or, when the model says the journal is
 * invalid, the adapter must reject it and stay as it was.
 */

type Model = Map<string, string | null>; // path → file content, or null for a directory

let tmp: string;
let disk: DiskStorage;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-model-"));
  disk = diskStorage({ workspaceRoot: tmp, fsync: false });
  await disk.createSession(testSessionMetadata("m"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Applies entries one at a time; null when the journal is invalid (write through a file, file over a directory). */
function applyNaively(model: Model, entries: readonly JournalEntry[]): Model | null {
  const m = new Map(model);
  for (const e of entries) {
    if (e.op === "delete") {
      for (const p of [...m.keys()]) if (p === e.path || p.startsWith(`${e.path}/`)) m.delete(p);
      continue;
    }
    const parts = e.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (typeof m.get(dir) === "string") return null;
      m.set(dir, null);
    }
    const existing = m.get(e.path);
    if (e.op === "mkdir") {
      if (typeof existing === "string") return null;
      m.set(e.path, null);
    } else {
      if (existing === null) return null;
      m.set(e.path, new TextDecoder().decode(e.data));
    }
  }
  return m;
}

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function observe(s: DiskStorage): Promise<Model> {
  const m: Model = new Map();
  for (const e of await s.listFiles("m")) m.set(e.path, e.type === "file" ? new TextDecoder().decode(await s.readFile("m", e.path)) : null);
  return m;
}

it("disk commits match a naive one-entry-at-a-time model over 60 random journals", async () => {
  const rand = prng(20261122);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const randomPath = (): string => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(["a", "b", "c"])).join("/");
  let model: Model = new Map();
  let rejected = 0;
  for (let round = 0; round < 60; round++) {
    const entries: JournalEntry[] = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => {
      const r = rand();
      const path = randomPath();
      if (r < 0.55) return { op: "write", path, data: new TextEncoder().encode(`r${round}e${i}`) };
      if (r < 0.75) return { op: "mkdir", path };
      return { op: "delete", path };
    });
    const expected = applyNaively(model, entries);
    if (expected === null) {
      await expect(disk.commit("m", { entries }), JSON.stringify(entries.map((e) => [e.op, e.path]))).rejects.toSatisfy(InvalidPathError.isInstance);
      rejected++;
    } else {
      await disk.commit("m", { entries });
      model = expected;
    }
    expect(await observe(disk), `round ${round}`).toEqual(model);
  }
  // The generator must exercise both outcomes for the test to mean anything.
  expect(rejected).toBeGreaterThan(0);
  expect(rejected).toBeLessThan(60);
});
