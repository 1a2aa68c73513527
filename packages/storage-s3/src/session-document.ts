import { SessionMetadataSchema, type WorkspaceEntry } from "@llm-wasm-sandbox/core";
import { z } from "zod";

/*
 * `<prefix>/<sessionId>/session.json` is the whole truth about a session: its
 * metadata, a generation number, and the manifest mapping every workspace path
 * to the immutable object holding its bytes. Replacing this one object with a
 * conditional PUT (If-Match: the ETag we read) is the commit point.
 */

const FileEntrySchema = z.object({
  type: z.literal("file"),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Commit tag of the object holding the bytes: `<prefix>/<sessionId>/files/<tag>/<path>`. */
  tag: z.string().regex(/^[0-9]+-[0-9a-f]+$/),
});
const DirEntrySchema = z.object({ type: z.literal("directory"), mtimeMs: z.number() });

/** Parsed form of session.json. */
export const SessionDocumentSchema = z.object({
  format: z.literal(1),
  /** Random id set at creation: a session deleted and re-created under the same id is a different incarnation. */
  incarnation: z.string().min(1),
  /** Bumped by every commit; a commit that finds it changed is a conflict. */
  generation: z.number().int().nonnegative(),
  metadata: SessionMetadataSchema,
  entries: z.record(z.string(), z.discriminatedUnion("type", [FileEntrySchema, DirEntrySchema])),
});
export type SessionDocument = z.output<typeof SessionDocumentSchema>;
export type ManifestEntry = SessionDocument["entries"][string];

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Serializes a document for storage. */
export function encodeDocument(doc: SessionDocument): Uint8Array {
  return enc.encode(JSON.stringify(doc));
}

/** Parses a stored document; null when it is not one (a foreign object at that key). */
export function decodeDocument(bytes: Uint8Array): SessionDocument | null {
  try {
    const parsed = SessionDocumentSchema.safeParse(JSON.parse(dec.decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The manifest as a sorted workspace listing. */
export function listingOf(doc: SessionDocument): WorkspaceEntry[] {
  return Object.entries(doc.entries)
    .map(([path, e]) => ({ path, type: e.type, size: e.type === "file" ? e.size : 0, mtimeMs: e.mtimeMs }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
