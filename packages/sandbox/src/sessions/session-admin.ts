import {
  canonicalSessionId,
  LogEvent,
  parseOrThrow,
  type PruneResult,
  type SessionMetadata,
  SessionNotFoundError,
  silentLogger,
} from "@llm-wasm-sandbox/core";
import { z } from "zod";
import { resolveStorage, type SessionOptions, SessionOptionsSchema } from "./resolve-storage.js";
import { withSessionLock } from "./session-lock.js";

/** Options of `pruneSessions`. */
export interface PruneSessionsOptions extends SessionOptions {
  /** Delete sessions whose `updatedAt` is more than this many hours ago. */
  readonly olderThanHours: number;
  /** Only report what would be deleted (default false). */
  readonly dryRun?: boolean;
  /** How long to wait for a session in use before reporting it as an error (default 1 s). */
  readonly lockTimeoutMs?: number;
}

const PruneOptionsSchema = SessionOptionsSchema.extend({
  olderThanHours: z.number({ error: "olderThanHours must be a number of hours" }).finite().nonnegative(),
  dryRun: z.boolean().optional(),
  lockTimeoutMs: z.number().int().nonnegative().optional(),
});

/**
 * A session's metadata (runtime, timestamps, execution count, size, file count).
 * @throws InvalidSessionIdError, SessionNotFoundError
 */
export async function getSessionInfo(sessionId: string, options: SessionOptions = {}): Promise<SessionMetadata> {
  const opts = parseOrThrow(SessionOptionsSchema, options, "getSessionInfo options");
  const id = canonicalSessionId(sessionId);
  const meta = await resolveStorage(opts).getSession(id);
  if (!meta) throw new SessionNotFoundError(id);
  return meta;
}

/**
 * Deletes a session: its metadata and every file. Waits for a running
 * execution of it to finish first. Returns false when there was no such session.
 * @throws InvalidSessionIdError
 */
export async function deleteSessionWorkspace(sessionId: string, options: SessionOptions = {}): Promise<boolean> {
  const opts = parseOrThrow(SessionOptionsSchema, options, "deleteSessionWorkspace options");
  const id = canonicalSessionId(sessionId);
  const storage = resolveStorage(opts);
  const deleted = await withSessionLock(storage, id, () => storage.deleteSession(id));
  if (deleted) (opts.logger ?? silentLogger).info({ event: LogEvent.SESSION_DELETED, sessionId: id }, "session deleted");
  return deleted;
}

/**
 * Deletes every session last updated more than `olderThanHours` ago (or, with
 * `dryRun`, reports what it would delete), damaged ones included, and removes
 * what crashes left behind in the sessions it keeps (when the adapter can). A
 * session that cannot be deleted (in use, storage error) is listed in `errors`;
 * the others still go.
 * @throws PolicyValidationError for bad options
 */
export async function pruneSessions(options: PruneSessionsOptions): Promise<PruneResult> {
  const opts = parseOrThrow(PruneOptionsSchema, options, "pruneSessions options");
  const storage = resolveStorage(opts);
  const logger = opts.logger ?? silentLogger;
  const dryRun = opts.dryRun ?? false;
  const cutoff = Date.now() - opts.olderThanHours * 3_600_000;
  const result: PruneResult = { deletedSessions: [], damagedSessions: [], garbageCollected: 0, keptSessions: 0, reclaimedBytes: 0, dryRun, errors: [] };
  const failed = (sessionId: string, e: unknown): void => {
    result.errors.push({ sessionId, message: e instanceof Error ? e.message : String(e) });
  };
  for (const meta of await storage.listSessions()) {
    if (Date.parse(meta.updatedAt) >= cutoff) {
      result.keptSessions += 1;
      // What crashes left in a session that stays (orphan objects, temp files): safe while others commit.
      if (!dryRun && storage.collectGarbage && !meta.damaged) result.garbageCollected += await storage.collectGarbage(meta.sessionId).catch((e: unknown) => (failed(meta.sessionId, e), 0));
      continue;
    }
    try {
      // A damaged session's size cannot be read; it is deleted all the same.
      const bytes = meta.damaged ? 0 : await storage.sizeOf(meta.sessionId);
      if (!dryRun) {
        const gone = await withSessionLock(storage, meta.sessionId, () => storage.deleteSession(meta.sessionId), { timeoutMs: opts.lockTimeoutMs ?? 1000 });
        if (!gone) continue;
        logger.info({ event: LogEvent.SESSION_DELETED, sessionId: meta.sessionId, reason: meta.damaged ? "prune (damaged)" : "prune" }, "session deleted");
      }
      result.deletedSessions.push(meta.sessionId);
      if (meta.damaged) result.damagedSessions.push(meta.sessionId);
      result.reclaimedBytes += bytes;
    } catch (e) {
      failed(meta.sessionId, e);
    }
  }
  logger.info({ event: LogEvent.PRUNE, ...result, errors: result.errors.length, olderThanHours: opts.olderThanHours }, dryRun ? "prune (dry run)" : "prune");
  return result;
}
