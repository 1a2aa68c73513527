import { SessionMetadataSchema, type WorkspaceEntry } from "@llm-wasm-sandbox/core";
import { z } from "zod";

/*
 * `<prefix>/<sessionId>/session.json` is the whole truth about a session: its
 * metadata, a generation number (the session's version), the manifest mapping
 * every workspace path to the immutable object holding its bytes, the records
 * stored with commits, and the tags of the latest commits. Replacing this one
 * object with a conditional PUT (If-Match: the ETag we read) is the commit point.
 */

/** Commit tags: `<generation>-<random hex>`; every object a commit uploads lives under its tag. */
const Tag = z.string().regex(/^[0-9]+-[0-9a-f]+$/);

const FileEntrySchema = z.object({
  type: z.literal("file"),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Commit tag of the object holding the bytes: `<prefix>/<sessionId>/files/<tag>/<path>`. */
  tag: Tag,
});
const DirEntrySchema = z.object({ type: z.literal("directory"), mtimeMs: z.number() });
const ManifestEntrySchema = z.discriminatedUnion("type", [FileEntrySchema, DirEntrySchema]);
export type ManifestEntry = z.output<typeof ManifestEntrySchema>;

/** How many commit tags a document remembers (see `recent`). */
export const RECENT_COMMITS = 64;

/** session.json except its manifest, which is parsed entry by entry into a Map (a path may be "__proto__"). */
const DocumentSchema = z.object({
  format: z.literal(1),
  /** Random id set at creation: a session deleted and re-created under the same id is a different incarnation. */
  incarnation: z.string().min(1),
  /** Bumped by every commit; a commit that finds it changed is a conflict. Equals `metadata.version`. */
  generation: z.number().int().nonnegative(),
  metadata: SessionMetadataSchema,
  /** The manifest: workspace path → entry (a JSON object; see `decodeDocument`). */
  entries: z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v)),
  /**
   * Tags of the latest RECENT_COMMITS commits, newest last. A writer whose
   * conditional PUT failed in an ambiguous way (reply lost, 412 on the SDK's
   * retry of its own PUT, 500) looks for its tag here to learn that it committed.
   */
  recent: z.array(Tag).default([]),
  /** Records stored with commits, oldest first: key hash → `<sessionId>/records/<tag>/<hash>`, and when it was stored (0: before times were kept). */
  records: z.array(z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), tag: Tag, at: z.number().default(0) })).default([]),
});
/** Parsed form of session.json. */
export type SessionDocument = Omit<z.output<typeof DocumentSchema>, "entries"> & { readonly entries: ReadonlyMap<string, ManifestEntry> };

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Serializes a document for storage. */
export function encodeDocument(doc: SessionDocument): Uint8Array {
  // A null-prototype object, so that a path named "__proto__" is an ordinary key.
  const entries = Object.create(null) as Record<string, ManifestEntry>;
  for (const [path, e] of doc.entries) entries[path] = e;
  return enc.encode(JSON.stringify({ ...doc, entries }));
}

/** Parses a stored document; null when it is not one (a foreign object at that key). */
export function decodeDocument(bytes: Uint8Array): SessionDocument | null {
  try {
    // JSON.parse makes "__proto__" an own property; Object.entries sees it.
    const parsed = DocumentSchema.safeParse(JSON.parse(dec.decode(bytes)));
    if (!parsed.success) return null;
    const entries = new Map<string, ManifestEntry>();
    for (const [path, raw] of Object.entries(parsed.data.entries)) {
      const entry = ManifestEntrySchema.safeParse(raw);
      if (!entry.success) return null;
      entries.set(path, entry.data);
    }
    // The generation is the version (documents written before versions existed lack it in metadata).
    return { ...parsed.data, entries, metadata: { ...parsed.data.metadata, version: parsed.data.generation } };
  } catch {
    return null;
  }
}

/** The manifest as a sorted workspace listing. */
export function listingOf(doc: SessionDocument): WorkspaceEntry[] {
  return [...doc.entries]
    .map(([path, e]) => ({ path, type: e.type, size: e.type === "file" ? e.size : 0, mtimeMs: e.mtimeMs }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The generation a commit tag was made for. */
export function tagGeneration(tag: string): number {
  return Number.parseInt(tag.slice(0, tag.indexOf("-")), 10);
}
