/**
 * Warm sessions (`keepAlive`): the options, their validation and defaults, and the note a
 * keepAlive result carries when it ran cold. The live interpreters themselves are kept by
 * the host (wasi-host's `LiveSessions`).
 */
import { z } from "zod";

/** Live interpreters a host keeps at most, by default. */
export const DEFAULT_MAX_LIVE_SESSIONS = 8;
/** How long an idle live interpreter is kept, by default: 5 minutes. */
export const DEFAULT_KEEP_ALIVE_IDLE_MS = 300_000;
/** The longest `idleMs` accepted: 24 hours. */
export const MAX_KEEP_ALIVE_IDLE_MS = 86_400_000;
/** The most live interpreters a host may be configured to keep. */
export const MAX_LIVE_SESSIONS_CAP = 1024;

/**
 * `createSandbox({ keepAlive })`: keep the session's interpreter alive between executions
 * so the next one continues it — variables, open generators, class instances, imported
 * modules — like a notebook kernel. `true` uses the host's idle time; `{ idleMs }` sets
 * this sandbox's. Limits still apply per execution (fuel budget afresh, timeout, memory
 * cap for everything the interpreter holds); a timeout or trap ends the live interpreter
 * and the next execution starts cold from the session's files and saved state.
 */
export type KeepAliveOption = boolean | { readonly idleMs?: number };

/** `createSandboxHost({ keepAlive })`: the host's limits on warm sessions. */
export interface HostKeepAliveOptions {
  /**
   * Live interpreters at most (default 8, at most 1024). Each holds a thread and up to its
   * policy's `memoryBytes`; past the cap the least recently used idle one is ended.
   */
  readonly maxSessions?: number;
  /** Default idle time after which a live interpreter is ended, ms (default 300 000, at most 86 400 000). */
  readonly idleMs?: number;
}

const IdleMsSchema = z.number().int().min(1).max(MAX_KEEP_ALIVE_IDLE_MS);

/** Validates `createSandbox`'s `keepAlive`. */
export const KeepAliveOptionSchema = z.union([z.boolean(), z.object({ idleMs: IdleMsSchema.optional() }).strict()]);

/** Validates `createSandboxHost`'s `keepAlive`. */
export const HostKeepAliveOptionsSchema = z
  .object({
    maxSessions: z.number().int().min(1).max(MAX_LIVE_SESSIONS_CAP).optional(),
    idleMs: IdleMsSchema.optional(),
  })
  .strict();

/** What a keepAlive sandbox asks of its host: its own idle time, if any. */
export interface SandboxKeepAlive {
  /** Idle time of this sandbox's live interpreter, ms (absent: the host's). */
  readonly idleMs?: number;
}

/** The sandbox's keepAlive settings, or null when keepAlive is off. */
export function sandboxKeepAlive(option: KeepAliveOption | undefined): SandboxKeepAlive | null {
  if (option === undefined || option === false) return null;
  return option === true || option.idleMs === undefined ? {} : { idleMs: option.idleMs };
}

/** The note of a keepAlive execution that ran cold. */
export function coldRunNote(reason: string): string {
  return `keepAlive: this execution ran cold (a fresh interpreter from the session's files and saved state): ${reason}`;
}
