import { z } from "zod";
import { InvalidSessionIdError } from "./errors/invalid-session-id-error.js";

/** Metadata kept beside every session's files. */
export const SessionMetadataSchema = z.object({
  sessionId: z.string(),
  runtime: z.string(),
  createdAt: z.string().datetime(),
  /** When the session last changed (a commit or a metadata update). */
  updatedAt: z.string().datetime(),
  autoPersistGlobals: z.boolean(),
  /** Bytes held by the session's files (as of the last commit). */
  sizeBytes: z.number().int().nonnegative(),
  fileCount: z.number().int().nonnegative(),
  /**
   * Executions recorded by commits. A run that changed nothing writes nothing, so it
   * is counted only when it refreshes an idle session (see `withSessionRun`).
   */
  executionCount: z.number().int().nonnegative(),
  /**
   * Bumped by every commit (never by a metadata-only update); a commit carries the
   * version its plan was computed against and fails with StorageConflictError when
   * the session moved on (optimistic concurrency). Absent in sessions stored before
   * versions existed: read as 0.
   */
  version: z.number().int().nonnegative().default(0),
  /**
   * Set only in `listSessions` results, for a session whose metadata cannot be
   * read (the reason): the other fields are then placeholders (`updatedAt` is when
   * its storage last changed), so that such a session is listed — and pruned —
   * instead of hidden forever.
   */
  damaged: z.string().optional(),
});
/** A session's metadata as stored and returned. */
export type SessionMetadata = z.output<typeof SessionMetadataSchema>;
/** What `createSession` accepts: `version` may be omitted (a new session starts at 0). */
export type SessionMetadataInput = z.input<typeof SessionMetadataSchema>;

/** What `pruneSessions` did (or, with `dryRun`, would do). */
export const PruneResultSchema = z.object({
  deletedSessions: z.array(z.string()),
  /** Of `deletedSessions`, those whose metadata was damaged. */
  damagedSessions: z.array(z.string()).default([]),
  /** Objects or files crashes had left behind, removed from the kept sessions (`StorageAdapter.collectGarbage`). */
  garbageCollected: z.number().int().nonnegative().default(0),
  keptSessions: z.number().int().nonnegative(),
  reclaimedBytes: z.number().int().nonnegative(),
  dryRun: z.boolean(),
  errors: z.array(z.object({ sessionId: z.string(), message: z.string() })),
});
export type PruneResult = z.output<typeof PruneResultSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_SESSION_ID_LENGTH = 128;

/**
 * Checks that a session id can name a directory or object prefix on any backend,
 * and returns it unchanged. With `allowNonUuid: false` only UUIDs pass.
 * @throws InvalidSessionIdError saying what is wrong.
 */
export function canonicalSessionId(id: unknown, options: { allowNonUuid?: boolean } = {}): string {
  if (typeof id !== "string") throw new InvalidSessionIdError(String(id), "must be a string");
  if (id.length === 0) throw new InvalidSessionIdError(id, "must not be empty");
  if (id.length > MAX_SESSION_ID_LENGTH) throw new InvalidSessionIdError(id, `longer than ${MAX_SESSION_ID_LENGTH} characters`);
  if (id.includes("/") || id.includes("\\")) throw new InvalidSessionIdError(id, "must not contain '/' or '\\'");
  if (id.includes("..")) throw new InvalidSessionIdError(id, "must not contain '..'");
  if (!SAFE.test(id)) throw new InvalidSessionIdError(id, "contains characters other than letters, digits, '.', '-', '_' (or starts with one of '.-_')");
  if (options.allowNonUuid === false && !UUID.test(id)) throw new InvalidSessionIdError(id, "must be a UUID");
  return id;
}
