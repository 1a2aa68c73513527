import { constants, type Stats } from "node:fs";
import * as fsp from "node:fs/promises";
import { dirname, join } from "node:path";
import { type CommitPlan, keptRecords, RECORDS_KEPT, type SessionMetadata, StorageError } from "@llm-wasm-sandbox/core";
import { asyncIo, type FsIo, quickIo } from "./fs-io.js";
import { INLINE_COMMIT_BYTES, INTENT, inlineBytes, restageInline, settleAll, STAGED_META, STAGED_RECORD, type StagedHandles, stageInline } from "./inline-commit.js";
import { decodeIntent, type FoundIntent, type Intent } from "./intent.js";
import { type CommittedMeta, readPendingSlot, retireSlot, slotPendingSync } from "./intent-slot.js";
import { ensureRealDir, isCode, lstatOrNull, resolveInside, writeFileAtomic } from "./safe-fs.js";

/*
 * The crash-atomic commit protocol (an intent log, redo-only). A small commit
 * waits for one durable (O_DSYNC) write over a file's existing blocks; a large one
 * for two rounds of fsyncs.
 *
 * Small commits (at most QUICK_COMMIT_CALLS path components and
 * INLINE_COMMIT_BYTES of files + record; inline-commit.ts):
 *   1. `<session>/.commit/` is created (the session's intent slot, outside it,
 *      is opened meanwhile). Into it go, all created at once, then
 *      all written at once, none fsynced: every file the commit writes
 *      (`s<n>`), the record if any (`record`) and the new `session.json`.
 *      Alongside, the intent (v2, intent.ts) — the removals, the directories to
 *      make, every staged file's destination, the metadata, and the bytes of
 *      every file and of the record, closed by a SHA-256 of all of it (it does
 *      not depend on the staged files) — is written, marked pending, over the
 *      session's intent slot `<session>/.intent` (intent-slot.ts), then made
 *      durable by that write itself (O_DSYNC: its blocks exist, nothing of the
 *      file but its bytes changes, so no journal commit is waited for); the
 *      first time, and whenever it grows, an fsync of it and of the session
 *      directory follows.
 *      THE COMMIT POINT IS A PENDING RECORD IN THE SLOT THAT VERIFIES AND
 *      COMMITS THE SESSION'S NEXT VERSION; when its write (and sync) returned it is
 *      durable. A crash before (the caller was not told) may leave the old state
 *      or the new one, whole: recovery rolls such a record forward and a torn
 *      one back. `.commit/` itself is not made durable first: it marks the
 *      commit in progress for readers, and a power cut may lose it — the
 *      adapter looks at a session's slot the first time it reads the session,
 *      and before every commit.
 *   2. Nothing: no rename, the slot's record is its own commit point.
 *   3. As below.
 *   4. As below, plus an fsync of every staged file (now in its place; still
 *      open since step 1), in the same round as the directories: until then
 *      only the slot holds their bytes durably. Then the slot's record is marked
 *      retired (durably) before `.commit/` goes: a retired record is never
 *      rolled forward. Recovery of a small commit first writes every staged file
 *      (and session.json, the record) again from the intent's bytes and fsyncs
 *      them: a power cut may keep the intent whole and lose a staged file's
 *      contents, and no staged file is ever renamed into the workspace from
 *      bytes that were not checked. (A pending record that commits the version
 *      session.json already holds, with the very metadata it holds, is rolled
 *      forward too: applied, but maybe not all of it durable; writing the same
 *      bytes again changes nothing. So is one found with session.json unreadable:
 *      its rename may have reached the disk before its bytes.) A small commit that
 *      fails retires its record durably before its caller is told, so only an
 *      unfinished commit ever leaves a durable pending record.
 *
 * Large commits (the rest; their bytes are not copied into the intent):
 *   1. `<session>/.commit/` is created. Into it go, each written and fsynced:
 *      every file the commit writes (`s<n>`), the record to store if any
 *      (`record`), the new `session.json` (metadata after the commit, with the
 *      bumped version) and `intent.json.tmp` — the intent (v1, JSON): the
 *      removals, the directories to make, every staged file's destination and
 *      the metadata again. The session directory (which now lists `.commit/`)
 *      is fsynced in the same round: none of these depends on another, and
 *      fsyncs in flight together share the file system's journal commits.
 *   2. The intent is renamed to `.commit/intent.json` and `.commit/` fsynced
 *      (which makes the staged entries durable too). THIS RENAME IS THE COMMIT
 *      POINT.
 *
 * Both:
 *   3. The intent is applied: removals (type-aware, so a replay never deletes
 *      what the commit put there), then mkdirs, then renames staged → files/,
 *      the record → records/ and the staged session.json over session.json, the
 *      last three concurrently (a replay that finds the staged metadata moved
 *      already writes it again from the intent). Each step is idempotent: a
 *      staged file already moved is skipped.
 *   4. Every directory step 3 touched (the session directory included) is
 *      fsynced, in one round, then `.commit/` is removed. Until then a power
 *      cut leaves the intent, so the order in which step 3's renames reach the
 *      disk does not matter. (The removal needs no fsync: if it is lost, the
 *      next access replays the intent, which changes nothing.)
 *
 * The commit is durable after its fsync round(s) and visible after step 3, so
 * `commit` returns then: step 4 finishes after it, still under the commit lock
 * (see `CommitFinish`). Any access that finds `.commit/` meanwhile waits for that
 * lock, and finds it gone. A one-file commit once waited for seven fsyncs one
 * after another, then for two rounds; now for one (`pnpm bench` in
 * packages/sandbox measures it).
 *
 * A small commit makes its lstats synchronously (fs-io.ts quickIo): each was a
 * thread-pool round trip, one after another. A larger commit, and recovery, make
 * every call through the pool. The checksum of a small commit is computed on the
 * calling thread over at most INLINE_COMMIT_BYTES (plus a header bounded by
 * QUICK_COMMIT_CALLS paths), so the main thread's work stays bounded whatever a
 * guest writes; a bigger commit takes the large path, with nothing to hash.
 *
 * With `sync: false` every fsync is skipped: commits stay atomic across process
 * crashes (SIGKILL, OOM) — the page cache survives those — but not power loss.
 *
 * Recovery (run before any access to the session that finds `.commit/` or a
 * pending record in the slot, under the commit lock): with `.commit/intent.json`
 * (a large commit's, or a small one's from a version before the slot), a v2 intent
 * that is short or whose checksum fails → roll back, a v1 intent or a v2 one that
 * verifies → replay steps 3–4; without it, the slot's pending record if it
 * verifies and commits the session's next (or current) version → restage into the
 * `.commit/` that is there (kept, so readers keep waiting) and replay steps 3–4 from
 * its bytes, else → delete `.commit/` and retire the record (roll back; nothing
 * outside `.commit/` and the slot was touched yet). Either way a reader sees the
 * whole old state or the whole new one.
 */

/** Where a session's commit machinery lives. */
export interface SessionPaths {
  readonly dir: string;
  readonly files: string;
  readonly meta: string;
  readonly commitDir: string;
  /** Records stored with commits (`CommitOptions.record`), one file per key hash. */
  readonly records: string;
}

/**
 * Phases reported to `onCommitPhase` (for observability and crash tests):
 * `staging` once `.commit/` exists; `staged` once every staged file exists and
 * before the intent is written (a large commit: once they are written and fsynced,
 * the intent not yet in place; a small one: once they and the intent exist, nothing
 * written to them yet); `intent-written` once the
 * commit is durable (before anything is applied); `applied-op` after each removal,
 * mkdir and moved file; `done` when `.commit/` is gone.
 */
export type DiskCommitPhase = "staging" | "staged" | "intent-written" | "applied-op" | "done";

/** Called as a commit passes each phase; `index` counts applied ops. */
export type CommitPhaseHook = (phase: DiskCommitPhase, sessionId: string, index?: number) => void;

/** What one commit stores: the plan, the metadata after it, and an optional record (file name + bytes). */
export interface CommitContent {
  readonly plan: CommitPlan;
  readonly metadata: SessionMetadata;
  readonly record?: { readonly name: string; readonly data: Uint8Array } | undefined;
}

const enc = new TextEncoder();

/** Whether fsyncs are made, and how calls are issued. */
interface How {
  readonly sync: boolean;
  readonly io: FsIo;
}

/** Number of components of a workspace path (each costs a call where parents are checked or made). */
function depth(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) n++;
  return n;
}

/** Layout of one session directory. */
export function sessionPaths(root: string, sessionId: string): SessionPaths {
  const dir = join(root, sessionId);
  return { dir, files: join(dir, "files"), meta: join(dir, "session.json"), commitDir: join(dir, ".commit"), records: join(dir, "records") };
}

/** Files staged (and fsynced) at once. */
const STAGE_CONCURRENCY = 16;

/** Most path components (summed over the plan's writes, removals and mkdirs) of a commit made with `quickIo`. */
export const QUICK_COMMIT_CALLS = 64;

/** How to issue a plan's calls: its lstats synchronously when their number is small (see fs-io.ts). */
export function ioFor(plan: CommitPlan): FsIo {
  let calls = 0;
  for (const r of plan.removals) calls += depth(r.path);
  for (const d of plan.mkdirs) calls += depth(d);
  for (const w of plan.writes) calls += depth(w.path);
  return calls <= QUICK_COMMIT_CALLS ? quickIo : asyncIo;
}

/**
 * Step 4 of a commit (fsync of what step 3 touched, removal of `.commit/`), to run
 * under the same commit lock after the commit is reported. If it fails, the intent
 * stays and the next access to the session rolls it forward again.
 */
export type CommitFinish = () => Promise<void>;

/**
 * Stages, records and applies a planned commit (steps 1–3), and returns its step 4.
 * Caller holds the commit lock and has recovered first. A failure before the commit
 * point (a full disk, say) removes the staging area at once and throws StorageError:
 * nothing was written. A failure after it leaves the intent for the next access to
 * roll forward.
 */
export async function runCommit(paths: SessionPaths, sessionId: string, content: CommitContent, options: { sync: boolean; hook?: CommitPhaseHook | undefined }): Promise<CommitFinish> {
  const { sync, hook } = options;
  const io = ioFor(content.plan);
  const small = io === quickIo && inlineBytes(content.plan, content.record?.data) <= INLINE_COMMIT_BYTES;
  let staged: { readonly intent: Intent; readonly handles?: StagedHandles };
  try {
    staged = small ? await stageSmall(paths, sessionId, content, { sync, io }, hook) : { intent: await stage(paths, sessionId, content, { sync, io }, hook) };
  } catch (e) {
    // A small commit may have written its record to the slot before it failed: retired (durably, before the caller
    // is told that nothing was written), it is never rolled forward — not even over a later commit of the same version.
    const retired = small ? await retireSlot(paths.dir, sync).then(
      () => true,
      () => false,
    ) : true;
    const removed = (await io.rm(paths.commitDir).then(
      () => true,
      () => false,
    )) && retired;
    throw diskError(e, `committing session "${sessionId}"`, removed ? "nothing was written" : `its staging area (${paths.commitDir}) or its record in the intent slot could not be cleaned up; the next access to the session completes or undoes the commit`);
  }
  hook?.("intent-written", sessionId);
  const { intent, handles } = staged;
  const recorded = "the commit is recorded and completes at the next access to the session";
  let touched: ReadonlySet<string>;
  try {
    touched = await applyChanges(paths, sessionId, intent, { sync, io }, hook);
  } catch (e) {
    await handles?.close();
    throw diskError(e, `applying the commit of session "${sessionId}"`, recorded);
  }
  return async () => {
    try {
      await finishCommit(paths, sessionId, touched, { sync, io }, hook, handles);
    } catch (e) {
      throw diskError(e, `finishing the commit of session "${sessionId}"`, recorded);
    } finally {
      await handles?.close();
    }
  };
}

/** Step 1 of a small commit: everything staged, the intent carrying every byte, one fsync round (inline-commit.ts). */
async function stageSmall(paths: SessionPaths, sessionId: string, content: CommitContent, how: How, hook: CommitPhaseHook | undefined): Promise<{ intent: Intent; handles: StagedHandles }> {
  const { plan, metadata, record } = content;
  const intent = {
    removals: plan.removals,
    mkdirs: plan.mkdirs,
    writes: plan.writes.map((w, n) => ({ path: w.path, staged: `s${n}` })),
    metadata,
    data: plan.writes.map((w) => w.data),
    ...(record ? { record: { name: record.name }, recordData: record.data } : {}),
  };
  const handles = await stageInline(paths.dir, paths.commitDir, intent, how.sync, { staging: () => hook?.("staging", sessionId), staged: () => hook?.("staged", sessionId) });
  return { intent, handles };
}

/** Steps 1–2 of a large commit: stage every file, then rename the intent into place (the commit point). */
async function stage(paths: SessionPaths, sessionId: string, content: CommitContent, how: How, hook: CommitPhaseHook | undefined): Promise<Intent> {
  const { plan, metadata, record } = content;
  const { sync, io } = how;
  await io.mkdir(paths.commitDir);
  hook?.("staging", sessionId);
  const writes = plan.writes.map((w, n) => ({ path: w.path, staged: `s${n}`, data: w.data }));
  const intent: Intent & { readonly version: 1 } = {
    version: 1,
    removals: plan.removals,
    mkdirs: plan.mkdirs,
    writes: writes.map(({ path, staged }) => ({ path, staged })),
    metadata,
    ...(record ? { record: { name: record.name } } : {}),
  };
  const pendingIntent = join(paths.commitDir, "intent.json.tmp");
  // `.commit/` is opened in the staging round, so the commit point waits only for its fsync.
  const commitDir = sync ? fsp.open(paths.commitDir, constants.O_RDONLY | constants.O_DIRECTORY) : Promise.resolve(null);
  try {
    // One round: fsyncs of independent files overlap well; one at a time they dominate a commit.
    await settleAll([
      io.fsyncDir(paths.dir, sync),
      forEachLimited(writes, STAGE_CONCURRENCY, (w) => io.writeNew(join(paths.commitDir, w.staged), w.data, sync)),
      record ? io.writeNew(join(paths.commitDir, STAGED_RECORD), record.data, sync) : undefined,
      io.writeNew(join(paths.commitDir, STAGED_META), enc.encode(JSON.stringify(metadata)), sync),
      io.writeNew(pendingIntent, enc.encode(JSON.stringify(intent)), sync),
      commitDir,
    ]);
    hook?.("staged", sessionId);
    await io.rename(pendingIntent, join(paths.commitDir, INTENT));
    await (await commitDir)?.sync();
  } finally {
    // Not waited for: the commit no longer depends on it.
    void commitDir.then((handle) => handle?.close()).catch(() => undefined);
  }
  return intent;
}

/** A Node file-system error as a StorageError that says what happened, what state it left, and what to do. */
export function diskError(e: unknown, doing: string, outcome: string): StorageError {
  if (StorageError.isInstance(e)) return e;
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new StorageError("disk", `no space left on the volume (${String(code)}) while ${doing}; ${outcome} — free disk space or move workspaceRoot`, { cause: e });
  }
  return new StorageError("disk", `${typeof code === "string" ? code : "I/O error"} while ${doing}: ${e instanceof Error ? e.message : String(e)}; ${outcome}`, { cause: e });
}

/**
 * Finishes or undoes whatever an interrupted commit left behind. Returns what it
 * did. Caller holds the commit lock.
 */
export async function recoverCommit(paths: SessionPaths, sessionId: string, sync = true): Promise<"none" | "rolled-forward" | "rolled-back"> {
  // Called before every commit: the usual answer (nothing to recover) takes one quick lstat and a one-byte read of the slot.
  const st = await quickIo.lstat(paths.commitDir);
  const pending = slotPendingSync(paths.dir);
  if (!st && !pending) return "none";
  // A large commit's intent (or a small one's, written by a version before the slot).
  const found = st?.isDirectory() ? await readIntent(paths.commitDir) : null;
  if (!found) return recoverFromSlot(paths, sessionId, sync, st, pending);
  if (found.kind === "torn") {
    await fsp.rm(paths.commitDir, { recursive: true, force: true });
    return "rolled-back";
  }
  if (found.kind === "v2") await restageInline(paths.commitDir, found.intent, sync);
  const how = { sync, io: asyncIo };
  await finishCommit(paths, sessionId, await applyChanges(paths, sessionId, found.intent, how), how);
  return "rolled-forward";
}

/**
 * Recovery of a small commit: its intent is the slot's pending record, if that is the
 * commit (intent-slot.ts `readPendingSlot`) — found with or without `.commit/` (a power
 * cut may lose the staging area, never a durable slot). Rolled forward from the
 * intent's bytes, restaged into the `.commit/` that is there (never removed first: while
 * it exists, every reader waits for the commit lock instead of reading a half-applied
 * workspace); otherwise the staging area goes and the record is retired.
 */
async function recoverFromSlot(paths: SessionPaths, sessionId: string, sync: boolean, staging: Stats | null, pending: boolean): Promise<"rolled-forward" | "rolled-back"> {
  const intent = pending ? await readPendingSlot(paths.dir, await committedMeta(paths)) : null;
  if (intent === null) {
    if (staging) await fsp.rm(paths.commitDir, { recursive: true, force: true });
    // Torn, older than the session or another commit's: not the commit. Retired (durably), so that it is not read again.
    if (pending) await retireSlot(paths.dir, sync);
    return "rolled-back";
  }
  // Something planted where the staging area belongs goes; a staging area is kept.
  if (staging && !staging.isDirectory()) await fsp.rm(paths.commitDir, { recursive: true, force: true });
  if (!staging?.isDirectory()) await fsp.mkdir(paths.commitDir);
  await restageInline(paths.commitDir, intent, sync);
  const how = { sync, io: asyncIo };
  await finishCommit(paths, sessionId, await applyChanges(paths, sessionId, intent, how), how, undefined, undefined, () => retireSlot(paths.dir, sync));
  return "rolled-forward";
}

/** What session.json holds (intent-slot.ts `CommittedMeta`); null when it cannot be read or has no version. */
async function committedMeta(paths: SessionPaths): Promise<CommittedMeta | null> {
  try {
    const metadata = JSON.parse(await fsp.readFile(paths.meta, "utf8")) as { version?: unknown };
    const version = metadata.version;
    return typeof version === "number" && Number.isSafeInteger(version) ? { version, json: JSON.stringify(metadata) } : null;
  } catch {
    return null;
  }
}

/** Step 3; returns the directories it touched. */
async function applyChanges(paths: SessionPaths, sessionId: string, intent: Intent, how: How, hook?: CommitPhaseHook): Promise<ReadonlySet<string>> {
  const { sync, io } = how;
  let index = 0;
  const touched = new Set<string>([paths.files]);
  // Removals, then writes, each independent of the others of its kind: 16 at a time (a 20k-file
  // commit one operation after another took minutes). mkdirs stay in order, parents first.
  await forEachLimited(intent.removals, STAGE_CONCURRENCY, async (r) => {
    const abs = await resolveInside(paths.files, r.path, io);
    const st = abs ? await io.lstat(abs) : null;
    // Type-aware: on replay the path may already hold what this commit created.
    if (abs && st && (r.type === "directory" ? st.isDirectory() : !st.isDirectory())) {
      await io.rm(abs);
      touched.add(dirname(abs));
    }
    hook?.("applied-op", sessionId, index++);
  });
  for (const dir of intent.mkdirs) {
    await ensureRealDir(paths.files, dir, io);
    touched.add(dirname(join(paths.files, dir)));
    hook?.("applied-op", sessionId, index++);
  }
  const moveWrites = forEachLimited(intent.writes, STAGE_CONCURRENCY, async (w) => {
    const from = join(paths.commitDir, w.staged);
    const to = join(paths.files, w.path);
    if (await io.lstat(from)) {
      const parent = w.path.includes("/") ? w.path.slice(0, w.path.lastIndexOf("/")) : "";
      if (parent) await ensureRealDir(paths.files, parent, io);
      const existing = await io.lstat(to);
      // Only something planted behind our back can be a directory here.
      if (existing?.isDirectory()) await asyncIo.rm(to);
      await renameIfPresent(from, to, io);
      touched.add(dirname(to));
    }
    hook?.("applied-op", sessionId, index++);
  });
  // session.json may be replaced at any time while `.commit/` exists (session-reader.ts): alongside the files.
  const moveMeta = async (): Promise<void> => {
    const stagedMeta = join(paths.commitDir, STAGED_META);
    if (await io.lstat(stagedMeta)) await renameIfPresent(stagedMeta, paths.meta, io);
    // A replay that finds the staged metadata moved already (or an intent staged without it) writes it from the intent.
    else await writeFileAtomic(paths.dir, "session.json", enc.encode(JSON.stringify(intent.metadata)), sync, io);
  };
  const record = intent.record;
  await settleAll([moveWrites, moveMeta(), record ? applyRecord(paths, record.name).then((dir) => void touched.add(dir)) : undefined]);
  touched.add(paths.dir);
  return touched;
}

/**
 * Step 4; `staged`: a small commit's staged files, whose data is made durable here (they
 * were not before the intent was), and its slot, whose record is retired once all of it
 * is durable (`retire` does that for a small commit rolled forward by recovery).
 */
async function finishCommit(paths: SessionPaths, sessionId: string, touched: ReadonlySet<string>, how: How, hook?: CommitPhaseHook, staged?: StagedHandles, retire?: () => Promise<void>): Promise<void> {
  const { sync, io } = how;
  if (sync) await settleAll([staged?.sync(), forEachLimited([...touched], STAGE_CONCURRENCY, (dir) => fsyncDirIfPresent(dir, io))]);
  // Before `.commit/` goes: a retired record is never rolled forward again.
  await (staged?.retire() ?? retire?.());
  // The intent first: without it, what is left of `.commit/` is rolled back (deleted), which changes nothing now.
  await fsp.unlink(join(paths.commitDir, INTENT)).catch((e: unknown) => (isCode(e, "ENOENT") ? undefined : Promise.reject(e)));
  // Empty by now, unless a replay left a staged file behind: one call then, not a recursive walk.
  await fsp.rmdir(paths.commitDir).catch((e: unknown) => (isCode(e, "ENOENT") ? undefined : isCode(e, "ENOTEMPTY") || isCode(e, "EEXIST") ? io.rm(paths.commitDir) : Promise.reject(e)));
  hook?.("done", sessionId);
}

/** Moves the staged record into records/ and drops what `keptRecords` does not keep (aged by mtime); returns the directory to fsync. */
async function applyRecord(paths: SessionPaths, name: string): Promise<string> {
  await ensureRealDir(paths.dir, "records");
  await renameIfPresent(join(paths.commitDir, STAGED_RECORD), join(paths.records, name));
  const names = await fsp.readdir(paths.records);
  if (names.length > RECORDS_KEPT) {
    const aged = await Promise.all(names.map(async (n) => ({ n, at: (await lstatOrNull(join(paths.records, n)))?.mtimeMs ?? 0 })));
    aged.sort((a, b) => a.at - b.at);
    const kept = new Set(keptRecords(aged, Date.now()).map((r) => r.n));
    for (const { n } of aged) if (!kept.has(n) && n !== name) await fsp.rm(join(paths.records, n), { force: true });
  }
  return paths.records;
}

/** What `.commit/intent.json` holds; null when it is missing (the crash came before it was created or renamed into place). */
async function readIntent(commitDir: string): Promise<FoundIntent | null> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(join(commitDir, INTENT));
  } catch (e) {
    if (isCode(e, "ENOENT")) return null;
    throw e;
  }
  return decodeIntent(bytes);
}

async function renameIfPresent(from: string, to: string, io: FsIo = asyncIo): Promise<void> {
  try {
    await io.rename(from, to);
  } catch (e) {
    // A concurrent replay moved it first.
    if (!isCode(e, "ENOENT")) throw e;
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function fsyncDirIfPresent(dir: string, io: FsIo): Promise<void> {
  try {
    await io.fsyncDir(dir, true);
  } catch (e) {
    if (!isCode(e, "ENOENT") && !isCode(e, "ENOTDIR")) throw e;
  }
}
