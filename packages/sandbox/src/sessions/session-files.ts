import {
  canonicalSessionId,
  canonicalWorkspacePath,
  isInternalPath,
  LogEvent,
  parseOrThrow,
  SessionNotFoundError,
  silentLogger,
  type RuntimeType,
  type StorageAdapter,
  type WorkspaceEntry,
} from "@llm-wasm-sandbox/core";
import { z } from "zod";
import { resolveStorage, type SessionOptions, SessionOptionsSchema } from "./resolve-storage.js";
import { withSessionLock } from "./session-lock.js";

/** Options of `writeSessionFile`. */
export interface WriteSessionFileOptions extends SessionOptions {
  /** Create the session when it does not exist (default false: SessionNotFoundError). */
  readonly createIfMissing?: boolean;
  /** Runtime recorded for a session created by `createIfMissing` (default "python"). */
  readonly runtime?: RuntimeType;
}

/** Options of `listSessionFiles`. */
export interface ListSessionFilesOptions extends SessionOptions {
  /** Also list the sandbox's own files under `.llm-sandbox/` (default false). */
  readonly includeInternal?: boolean;
}

const WriteOptionsSchema = SessionOptionsSchema.extend({ createIfMissing: z.boolean().optional(), runtime: z.string().min(1).optional() });
const ListOptionsSchema = SessionOptionsSchema.extend({ includeInternal: z.boolean().optional() });
const DataSchema = z.union([z.string(), z.instanceof(Uint8Array)], { error: "data must be a string or a Uint8Array" });

const enc = new TextEncoder();

/**
 * Writes a file into a session's workspace (creating parent directories), under
 * the session lock so it never interleaves with an execution. Strings are UTF-8.
 *
 * ```ts
 * await writeSessionFile(sessionId, "data/input.csv", "a,b\n1,2\n");
 * ```
 * @throws InvalidSessionIdError, InvalidPathError (nothing is written), SessionNotFoundError
 */
export async function writeSessionFile(sessionId: string, path: string, data: string | Uint8Array, options: WriteSessionFileOptions = {}): Promise<void> {
  const opts = parseOrThrow(WriteOptionsSchema, options, "writeSessionFile options");
  const id = canonicalSessionId(sessionId);
  const rel = canonicalWorkspacePath(path);
  const bytes = parseOrThrow(DataSchema, data, "writeSessionFile data");
  const storage = resolveStorage(opts);
  const logger = opts.logger ?? silentLogger;
  await withSessionLock(storage, id, async () => {
    const runtime = opts.runtime ?? "python";
    if (await ensureSession(storage, id, opts.createIfMissing ?? false, runtime)) {
      logger.info({ event: LogEvent.SESSION_CREATED, sessionId: id, runtime }, "session created");
    }
    await storage.writeFile(id, rel, typeof bytes === "string" ? enc.encode(bytes) : bytes);
  });
  logger.debug({ event: LogEvent.SESSION_FILE_WRITTEN, sessionId: id, path: rel, bytes: typeof bytes === "string" ? enc.encode(bytes).byteLength : bytes.byteLength }, "session file written");
}

/**
 * Reads a file from a session's workspace: bytes, or text with `{ encoding: "utf8" }`.
 * @throws InvalidSessionIdError, InvalidPathError, SessionNotFoundError, FileNotFoundError
 */
export async function readSessionFile(sessionId: string, path: string, options: SessionOptions & { readonly encoding: "utf8" }): Promise<string>;
export async function readSessionFile(sessionId: string, path: string, options?: SessionOptions & { readonly encoding?: undefined }): Promise<Uint8Array>;
export async function readSessionFile(sessionId: string, path: string, options: SessionOptions & { readonly encoding?: "utf8" | undefined } = {}): Promise<string | Uint8Array> {
  const opts = parseOrThrow(SessionOptionsSchema.extend({ encoding: z.literal("utf8").optional() }), options, "readSessionFile options");
  const id = canonicalSessionId(sessionId);
  const rel = canonicalWorkspacePath(path);
  const storage = resolveStorage(opts);
  await requireSession(storage, id);
  const data = await storage.readFile(id, rel);
  return opts.encoding === "utf8" ? new TextDecoder().decode(data) : data;
}

/**
 * Lists a session's files and directories, sorted by path. The sandbox's own
 * state files (`.llm-sandbox/`) are hidden unless `includeInternal` is set.
 * @throws InvalidSessionIdError, SessionNotFoundError
 */
export async function listSessionFiles(sessionId: string, options: ListSessionFilesOptions = {}): Promise<WorkspaceEntry[]> {
  const opts = parseOrThrow(ListOptionsSchema, options, "listSessionFiles options");
  const id = canonicalSessionId(sessionId);
  const storage = resolveStorage(opts);
  await requireSession(storage, id);
  const entries = await storage.listFiles(id);
  return opts.includeInternal ? entries : entries.filter((e) => !isInternalPath(e.path));
}

/**
 * Deletes a file or a directory tree from a session, under the session lock.
 * Returns false when nothing was there.
 * @throws InvalidSessionIdError, InvalidPathError (nothing is deleted), SessionNotFoundError
 */
export async function deleteSessionPath(sessionId: string, path: string, options: SessionOptions = {}): Promise<boolean> {
  const opts = parseOrThrow(SessionOptionsSchema, options, "deleteSessionPath options");
  const id = canonicalSessionId(sessionId);
  const rel = canonicalWorkspacePath(path);
  const storage = resolveStorage(opts);
  const deleted = await withSessionLock(storage, id, async () => {
    await requireSession(storage, id);
    return storage.deletePath(id, rel);
  });
  (opts.logger ?? silentLogger).debug({ event: LogEvent.SESSION_FILE_DELETED, sessionId: id, path: rel, deleted }, "session path deleted");
  return deleted;
}

/** @throws SessionNotFoundError */
export async function requireSession(storage: StorageAdapter, sessionId: string): Promise<void> {
  if (!(await storage.getSession(sessionId))) throw new SessionNotFoundError(sessionId);
}

/** True when it created the session. */
async function ensureSession(storage: StorageAdapter, sessionId: string, create: boolean, runtime: string): Promise<boolean> {
  if (await storage.getSession(sessionId)) return false;
  if (!create) throw new SessionNotFoundError(sessionId);
  const now = new Date().toISOString();
  await storage.createSession({ sessionId, runtime, createdAt: now, updatedAt: now, autoPersistGlobals: false, sizeBytes: 0, fileCount: 0, executionCount: 0 });
  return true;
}
