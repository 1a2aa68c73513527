import type { S3Objects } from "./s3-objects.js";
import { type SessionDocument, tagGeneration } from "./session-document.js";

/** Options of `collectGarbage`. */
export interface GarbageOptions {
  /**
   * Unreferenced objects of a commit that may still be in flight (tagged with the
   * next generation) are removed only once this old (default 1 h): a slow writer's
   * uploads must survive until its conditional PUT either lands or fails.
   */
  readonly minAgeMs?: number;
}

/**
 * Deletes a session's objects that no version can ever reference again: left by
 * crashed or conflicting commits, or superseded versions a failed cleanup missed.
 * Safe while other hosts commit: an object is garbage when its tag is not in the
 * current document and its commit is provably dead — tagged with a generation the
 * session already reached (such a commit lost, or landed and was superseded), or
 * older than `minAgeMs` (a crashed writer of the next generation). Bounded: one
 * listing of the session's prefix and one batch delete per 1000 keys.
 * Returns the number of objects deleted.
 */
export async function collectSessionGarbage(
  objects: S3Objects,
  doc: SessionDocument,
  prefixes: { readonly files: string; readonly records: string },
  options: GarbageOptions = {},
): Promise<number> {
  const minAgeMs = options.minAgeMs ?? 3_600_000;
  const live = new Set<string>();
  for (const [path, e] of doc.entries) if (e.type === "file") live.add(`${prefixes.files}${e.tag}/${path}`);
  for (const r of doc.records) live.add(`${prefixes.records}${r.tag}/${r.hash}`);
  const now = Date.now();
  const garbage: string[] = [];
  for (const prefix of [prefixes.files, prefixes.records]) {
    for (const o of await objects.listObjects(prefix)) {
      if (live.has(o.key)) continue;
      const rest = o.key.slice(prefix.length);
      const tag = rest.slice(0, rest.indexOf("/"));
      if (!/^[0-9]+-[0-9a-f]+$/.test(tag)) continue; // not ours
      if (tagGeneration(tag) <= doc.generation || now - o.lastModified > minAgeMs) garbage.push(o.key);
    }
  }
  if (garbage.length > 0) await objects.deleteMany(garbage);
  return garbage.length;
}
