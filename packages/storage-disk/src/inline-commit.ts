import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import type { CommitPlan } from "@llm-wasm-sandbox/core";
import { encodeInlineIntent, type InlineIntent } from "./intent.js";

/*
 * Staging of a small commit in ONE fsync round (commit-log.ts, "small commits").
 * Everything the commit needs — its staged files, the staged session.json, the
 * record, and the intent carrying all of their bytes under a checksum — is
 * created (all at once, the intent empty), then written (all at once), with no
 * fsync in flight; then every fsync (the intent, `.commit/` and the session
 * directory) is issued at once, so that they all wait for the same journal commit
 * of the file system. An fsync issued while other files of the commit were still
 * being created would commit the journal early, and the rest would wait for a
 * second commit.
 */

/** Most bytes (files + record) a commit may carry in its intent: they are checksummed on the calling thread. */
export const INLINE_COMMIT_BYTES = 64 * 1024;

/** Name of the intent in `.commit/`. */
export const INTENT = "intent.json";
/** Name of the staged session.json in `.commit/`. */
export const STAGED_META = "session.json";
/** Name of the staged record in `.commit/`. */
export const STAGED_RECORD = "record";

const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const enc = new TextEncoder();

/** Bytes a commit would carry inline: its files and its record. */
export function inlineBytes(plan: CommitPlan, record: Uint8Array | undefined): number {
  let n = record?.byteLength ?? 0;
  for (const w of plan.writes) n += w.data.byteLength;
  return n;
}

/** The staged files of a small commit, still open: their data is made durable in step 4, after they were renamed into place. */
export interface StagedHandles {
  /** fsyncs every staged file (wherever it was renamed to since). */
  sync(): Promise<void>;
  /** Closes them (never rejects). */
  close(): Promise<void>;
}

/**
 * Stages `intent` in `commitDir` (which exists and is empty) and makes the intent
 * durable in one fsync round (none when `sync` is false): the intent, `commitDir`
 * and `dir`. The staged files are not fsynced here — the intent holds their bytes
 * — but in step 4, through the handles returned (the caller closes them). Three
 * fsyncs, so that the round fits in libuv's thread pool (four threads by default):
 * a fifth fsync would wait for a thread, and so for a second journal commit.
 * `staged()` is called once the staged files and the intent exist, before anything
 * is written to them (the intent is empty: a crash there rolls back). Thread-pool
 * round trips the caller waits for: create every file, write every file, the
 * fsync round — the intent's bytes (and their checksum) are made while the files
 * are being created.
 */
export async function stageInline(dir: string, commitDir: string, intent: InlineIntent, sync: boolean, staged: () => void): Promise<StagedHandles> {
  const files: Array<{ readonly name: string; readonly data: Uint8Array }> = [
    ...intent.writes.map((w, i) => ({ name: w.staged, data: intent.data[i] as Uint8Array })),
    ...(intent.recordData ? [{ name: STAGED_RECORD, data: intent.recordData }] : []),
    { name: STAGED_META, data: enc.encode(JSON.stringify(intent.metadata)) },
  ];
  const open: fsp.FileHandle[] = [];
  const create = async (name: string, into: fsp.FileHandle[]): Promise<fsp.FileHandle> => {
    const handle = await fsp.open(join(commitDir, name), NEW_FILE, 0o600);
    into.push(handle);
    return handle;
  };
  const closeAll = async (handles: readonly fsp.FileHandle[]): Promise<void> => {
    await Promise.allSettled(handles.map((h) => h.close()));
  };
  // Opened alongside the files; fsynced with the intent.
  const dirs = sync ? [dir, commitDir].map((d) => fsp.open(d, constants.O_RDONLY | constants.O_DIRECTORY)) : [];
  const intentFile: fsp.FileHandle[] = [];
  try {
    // The intent does not depend on the staged files (it carries their bytes): all are created together.
    const created = files.map((f) => create(f.name, open));
    const intentCreated = create(INTENT, intentFile);
    const intentBytes = encodeInlineIntent(intent);
    await settleAll([...created, intentCreated, ...dirs]);
    staged();
    const intentHandle = await intentCreated;
    await settleAll([...files.map(async (f, i) => (await created[i])?.writeFile(f.data)), intentHandle.writeFile(intentBytes)]);
    if (sync) await settleAll([intentHandle.sync(), ...dirs.map(async (d) => (await d).sync())]);
  } catch (e) {
    void closeAll(open);
    throw e;
  } finally {
    // Not waited for: the commit no longer depends on them.
    void closeAll(intentFile);
    for (const d of dirs) void d.then((h) => h.close()).catch(() => undefined);
  }
  return {
    sync: async () => {
      if (sync) await settleAll(open.map((h) => h.sync()));
    },
    close: () => closeAll(open),
  };
}

/**
 * Recovery of a small commit: writes every staged file again from the intent's
 * bytes, so that rolling forward never renames a staged file a power cut left
 * short or empty (it was not fsynced before the intent was complete). Replaying it
 * twice writes the same bytes twice.
 */
export async function restageInline(commitDir: string, intent: InlineIntent, sync: boolean): Promise<void> {
  const files: Array<{ readonly name: string; readonly data: Uint8Array }> = [
    ...intent.writes.map((w, i) => ({ name: w.staged, data: intent.data[i] as Uint8Array })),
    ...(intent.record && intent.recordData ? [{ name: STAGED_RECORD, data: intent.recordData }] : []),
    { name: STAGED_META, data: enc.encode(JSON.stringify(intent.metadata)) },
  ];
  for (const f of files) {
    const path = join(commitDir, f.name);
    await fsp.rm(path, { force: true, recursive: true });
    const handle = await fsp.open(path, NEW_FILE, 0o600);
    try {
      await handle.writeFile(f.data);
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
  }
  if (sync) await fsyncDir(commitDir);
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Like Promise.all, but waits for every operation to end before rejecting with the first failure (the caller cleans up after it). */
export async function settleAll(ops: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
  const failed = (await Promise.allSettled(ops)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
