import type { JournalEntry, StorageAdapter } from "@llm-wasm-sandbox/core";

/*
 * A reference model of a workspace for the storage conformance suite: what a
 * journal should do, computed the obvious way, to compare adapters against.
 */

const dec = new TextDecoder();

/** A workspace as path → file content, or null for a directory. */
export type Model = Map<string, string | null>;

/** Reads a whole workspace into a Model. */
export async function observe(s: StorageAdapter, sessionId: string): Promise<Model> {
  const m: Model = new Map();
  for (const e of await s.listFiles(sessionId)) m.set(e.path, e.type === "file" ? dec.decode(await s.readFile(sessionId, e.path)) : null);
  return m;
}

/**
 * Applies journal entries one at a time, the obvious way; null when the journal
 * is invalid (a write or mkdir through a file, a file written over a directory).
 * Deliberately independent of core's planCommit, which the adapters use.
 */
export function applyNaively(model: Model, entries: readonly JournalEntry[]): Model | null {
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
      m.set(e.path, dec.decode(e.data));
    }
  }
  return m;
}

/** A small deterministic PRNG (mulberry32), so a failing journal reproduces. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
