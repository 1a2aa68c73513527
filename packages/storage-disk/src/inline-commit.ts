import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import type { CommitPlan } from "@llm-wasm-sandbox/core";
import { asyncIo } from "./fs-io.js";
import { encodeInlineIntent, type InlineIntent } from "./intent.js";
import { encodeSlot, openSlot } from "./intent-slot.js";

/*
 * Staging of a small commit (commit-log.ts, "small commits"). Everything the commit
 * needs — its staged files, the staged session.json, the record — is created in
 * `.commit/` (all at once) and written (all at once), and the intent carrying all of
 * their bytes under a checksum is written over the session's intent slot
 * (intent-slot.ts) alongside, durably (O_DSYNC: its blocks exist, nothing but its bytes
 * changes, so no journal commit is waited for); the first time, and whenever it grows,
 * the slot and the session directory are fsynced after it, together.
 * The staged files need no sync before the commit point: recovery rewrites them from
 * the intent's bytes.
 */

/** Most bytes (files + record) a commit may carry in its intent: they are checksummed on the calling thread. */
export const INLINE_COMMIT_BYTES = 64 * 1024;

/** Name of the intent in `.commit/` (a large commit's; a small one's in a version before the slot). */
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

/** The staged files of a small commit, still open, and its slot: their data is made durable in step 4, after they were renamed into place. */
export interface StagedHandles {
  /** fsyncs every staged file (wherever it was renamed to since). */
  sync(): Promise<void>;
  /** Marks the commit's record in the slot retired (once what it commits is durable). */
  retire(): Promise<void>;
  /** Closes them (never rejects). */
  close(): Promise<void>;
}

/** Called as staging passes its phases (commit-log.ts `DiskCommitPhase`). */
export interface StagingHooks {
  /** `commitDir` exists; nothing is in it yet. */
  staging(): void;
  /** Every staged file exists and the slot is open; nothing is written yet (a crash here rolls back). */
  staged(): void;
}

/**
 * Makes `commitDir` (which must not exist), stages `intent` in it and records it in the
 * session's slot (intent-slot.ts), durably when `sync`: the slot's write itself is
 * durable (O_DSYNC) — and when the slot is new or grows, an fsync of it and of `dir`,
 * at once, follows. The staged
 * files are not fsynced here — the intent holds their bytes — but in step 4, through
 * the handles returned (the caller closes them). Thread-pool round trips the caller
 * waits for: make `commitDir` (the slot and `dir` are opened meanwhile: neither is in
 * it), create every file, write every file (and the slot) — the intent's bytes (and
 * their checksum) are made while the files are being created. On failure `commitDir`
 * may be left behind (the caller removes it).
 */
export async function stageInline(dir: string, commitDir: string, intent: InlineIntent, sync: boolean, hooks: StagingHooks): Promise<StagedHandles> {
  const files: Array<{ readonly name: string; readonly data: Uint8Array }> = [
    ...intent.writes.map((w, i) => ({ name: w.staged, data: intent.data[i] as Uint8Array })),
    ...(intent.recordData ? [{ name: STAGED_RECORD, data: intent.recordData }] : []),
    { name: STAGED_META, data: enc.encode(JSON.stringify(intent.metadata)) },
  ];
  const open: fsp.FileHandle[] = [];
  const create = async (name: string): Promise<fsp.FileHandle> => {
    const handle = await fsp.open(join(commitDir, name), NEW_FILE, 0o600);
    open.push(handle);
    return handle;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled([...open.map((h) => h.close()), slot.then((h) => h.close())]);
  };
  // Neither lives in `commitDir`: both are opened while it is made. The slot holds nothing of
  // this commit until its write below, so opening (or creating) it first changes no outcome.
  const slot = openSlot(dir, sync);
  // Opened alongside, in case the slot is new or grows (its size and entry must then be durable too).
  const sessionDir = sync ? fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY) : null;
  try {
    await settleAll([fsp.mkdir(commitDir), slot, sessionDir ?? undefined]);
    hooks.staging();
    // The intent does not depend on the staged files (it carries their bytes): all are created together.
    const created = files.map((f) => create(f.name));
    const record = encodeSlot(encodeInlineIntent(intent));
    await settleAll(created);
    hooks.staged();
    const slotHandle = await slot;
    let grown = false;
    // Every write settles before a failure is thrown: the caller retires the slot after it, and no write of the record may land later.
    await settleAll([slotHandle.write(record).then((g) => void (grown = g)), ...files.map(async (f, i) => (await created[i])?.writeFile(f.data))]);
    // The record's bytes are durable with its write; a new or grown slot's size and entry are not.
    if (sync && grown) await settleAll([slotHandle.sync(), sessionDir?.then((h) => h.sync())]);
  } catch (e) {
    void closeAll();
    throw e;
  } finally {
    // Not waited for: the commit no longer depends on it.
    void sessionDir?.then((h) => h.close()).catch(() => undefined);
  }
  return {
    sync: async () => {
      if (sync) await settleAll(open.map((h) => h.sync()));
    },
    retire: async () => (await slot).retire(),
    close: closeAll,
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
  await asyncIo.fsyncDir(commitDir, sync);
}

/** Like Promise.all, but waits for every operation to end before rejecting with the first failure (the caller cleans up after it). */
export async function settleAll(ops: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
  const failed = (await Promise.allSettled(ops)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
