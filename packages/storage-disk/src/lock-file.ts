import { randomBytes } from "node:crypto";
import * as fsp from "node:fs/promises";
import { hostname } from "node:os";
import { isCode } from "./safe-fs.js";

/** Who holds a lock file: written into it when taken. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly acquiredAt: number;
}

/** How to take a lock file. */
export interface LockFileOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * A lock older than this is taken over even if its owner may be alive on another
   * host (default 10 min). On this host a lock whose owner pid is gone is taken over at once.
   */
  readonly staleMs?: number;
}

/** Thrown by `acquireLockFile` on timeout; the adapter turns it into a SandboxError. */
export class LockTimeoutError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner | null,
    readonly waitedMs: number,
  ) {
    super(`lock ${path} still held after ${waitedMs} ms`);
  }
}

const TAKEOVER_GUARD_STALE_MS = 10_000;

/**
 * Takes an exclusive lock by creating `path` with O_EXCL ("wx"), writing the
 * owner (pid, host, token, time) into it. Retries with capped exponential
 * backoff and jitter; takes over a stale lock under a second guard file so that
 * two processes cannot both take over the same stale lock. Returns the release
 * function, which removes the file only if it still holds our token.
 */
export async function acquireLockFile(path: string, options: LockFileOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 600_000;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(12).toString("hex"), acquiredAt: Date.now() };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(path, { ...owner, acquiredAt: Date.now() })) return () => release(path, owner.token);
    const current = await readOwner(path);
    if (await isStale(path, current, staleMs)) {
      await takeOver(path, current, staleMs);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new LockTimeoutError(path, current, waited);
    const backoff = Math.min(250, 5 * 2 ** Math.min(attempt, 6));
    await sleep(Math.min(backoff + Math.random() * backoff, Math.max(1, timeoutMs - waited)));
  }
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, "wx", 0o600);
  } catch (e) {
    if (isCode(e, "EEXIST")) return false;
    throw e;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed: unknown = JSON.parse(await fsp.readFile(path, "utf8"));
    if (typeof parsed === "object" && parsed !== null && "pid" in parsed && "token" in parsed) return parsed as LockOwner;
    return null;
  } catch {
    // Missing, or created but not yet written: judged by its mtime in isStale.
    return null;
  }
}

async function isStale(path: string, owner: LockOwner | null, staleMs: number): Promise<boolean> {
  if (owner && owner.host === hostname() && !pidAlive(owner.pid)) return true;
  const since = owner?.acquiredAt ?? (await mtimeOf(path));
  if (since === null) return false;
  // An unreadable lock file is only a half-written one; give its writer a moment.
  return Date.now() - since > (owner ? staleMs : Math.min(staleMs, TAKEOVER_GUARD_STALE_MS));
}

async function takeOver(path: string, seen: LockOwner | null, staleMs: number): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await tryCreate(guard, { pid: process.pid, host: hostname(), token: "guard", acquiredAt: Date.now() }))) {
    const age = await mtimeOf(guard);
    if (age !== null && Date.now() - age > TAKEOVER_GUARD_STALE_MS) await fsp.rm(guard, { force: true });
    await sleep(5);
    return;
  }
  try {
    // Re-check under the guard: someone may have taken over and re-locked already.
    const now = await readOwner(path);
    if (now?.token === seen?.token && (await isStale(path, now, staleMs))) await fsp.rm(path, { force: true });
  } finally {
    await fsp.rm(guard, { force: true });
  }
}

async function release(path: string, token: string): Promise<void> {
  const owner = await readOwner(path);
  if (owner?.token === token) await fsp.rm(path, { force: true });
}

async function mtimeOf(path: string): Promise<number | null> {
  try {
    return (await fsp.stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isCode(e, "EPERM");
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
