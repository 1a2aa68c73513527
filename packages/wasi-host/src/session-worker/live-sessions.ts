/**
 * Warm sessions on one host: which sessions hold a live interpreter, for how long, and
 * how many at once. Each keepAlive sandbox owns a `LiveSlot`; a slot holds at most one
 * LiveWorker. An execution continues the live interpreter only when everything it
 * depends on is unchanged — the session's stored version is the one the live worker's
 * last execution committed, and the run's settings (image, driver, memory cap, clock
 * mode, env, mounts, tools) are those it was built with — and otherwise runs cold on a
 * new worker, saying why. Idle slots are ended after `idleMs`; past `maxSessions` live
 * interpreters the least recently used idle one is ended.
 */
import type { RawRun } from "@llm-wasm-sandbox/core";
import type { RunOptions } from "../types.js";
import { LiveWorker } from "./live-worker.js";

/** Limits of a host's warm sessions. */
export interface LiveSessionsOptions {
  /** Live interpreters at most on this host; the least recently used idle one is ended to make room. */
  readonly maxSessions: number;
  /** Default idle time after which a live interpreter is ended, ms. */
  readonly idleMs: number;
}

/** How an execution of a keepAlive session ran. */
export interface LiveRunInfo {
  /** True when it continued the live interpreter of the previous execution. */
  readonly warm: boolean;
  /** Why a keepAlive execution ran cold (null for the session's first execution, or when warm). */
  readonly coldReason: string | null;
}

/** What an execution of a slot must match to continue the live interpreter. */
export interface LiveRunContext {
  /** The session's stored version at the start of this execution. */
  readonly version: number;
}

/** A keepAlive sandbox's handle on its live interpreter (see module doc). */
export interface LiveSlot {
  /** Runs `options` warm when possible, cold otherwise; `info()` tells which. */
  run(options: RunOptions, context: LiveRunContext): Promise<RawRun>;
  /** How the last `run` went. */
  info(): LiveRunInfo;
  /** The last execution's changes were committed: the session is now at `version`. */
  committed(version: number): void;
  /** Ends the live interpreter (the next execution runs cold and says `reason`). */
  drop(reason: string): Promise<void>;
  /** Ends the live interpreter for good; later `run`s use no live worker. */
  close(): Promise<void>;
}

/** See module doc. */
export class LiveSessions {
  readonly #options: LiveSessionsOptions;
  /** Slots holding a live worker, least recently used first. */
  readonly #lru = new Set<Slot>();
  #closed = false;

  constructor(options: LiveSessionsOptions) {
    this.#options = options;
  }

  /** Live interpreters on this host now. */
  get size(): number {
    return this.#lru.size;
  }

  /** The cap on live interpreters. */
  get maxSessions(): number {
    return this.#options.maxSessions;
  }

  /** A slot for one keepAlive sandbox; `idleMs` overrides the host's default. */
  slot(idleMs?: number): LiveSlot {
    return new Slot(this, idleMs ?? this.#options.idleMs);
  }

  /** Ends every live interpreter. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#lru].map((s) => s.close()));
  }

  /** @internal A slot got a live worker: make room under the cap (false when none could be made). */
  async admit(slot: Slot): Promise<boolean> {
    if (this.#closed) return false;
    while (this.#lru.size >= this.#options.maxSessions) {
      const victim = [...this.#lru].find((s) => !s.busy);
      if (victim === undefined) return false;
      await victim.drop(`the live interpreter was ended to make room: this host keeps at most ${this.#options.maxSessions} live sessions (keepAlive maxSessions) and this one was the least recently used`);
    }
    this.#lru.add(slot);
    return true;
  }

  /** @internal Marks a slot most recently used. */
  touch(slot: Slot): void {
    if (this.#lru.delete(slot)) this.#lru.add(slot);
  }

  /** @internal A slot's worker ended. */
  release(slot: Slot): void {
    this.#lru.delete(slot);
  }
}

class Slot implements LiveSlot {
  readonly #host: LiveSessions;
  readonly #idleMs: number;
  #worker: LiveWorker | null = null;
  /** Settings the live interpreter was built with. */
  #key = "";
  /** Stored version the live interpreter's files correspond to; null until the commit is known. */
  #version: number | null = null;
  #coldReason: string | null = null;
  #info: LiveRunInfo = { warm: false, coldReason: null };
  #idle: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #busy = false;

  constructor(host: LiveSessions, idleMs: number) {
    this.#host = host;
    this.#idleMs = idleMs;
  }

  get busy(): boolean {
    return this.#busy;
  }

  info(): LiveRunInfo {
    return this.#info;
  }

  async run(options: RunOptions, context: LiveRunContext): Promise<RawRun> {
    if (this.#busy) throw new Error("one execution at a time per keepAlive sandbox");
    this.#busy = true;
    clearTimeout(this.#idle);
    try {
      return await this.#run(options, context);
    } finally {
      this.#busy = false;
      this.#armIdle();
    }
  }

  async #run(options: RunOptions, context: LiveRunContext): Promise<RawRun> {
    if (options.stdin !== undefined && options.stdin.length > 0) {
      // A live interpreter reads the stdin it started with (consumed or not): an execution
      // with its own can neither continue one nor leave one for the next.
      await this.#end(null);
      this.#coldReason = null;
      this.#info = { warm: false, coldReason: "this execution has its own stdin (from its runtime plugin), which a live interpreter cannot take; it ran without keeping its interpreter" };
      return this.#cold(options);
    }
    const key = settingsKey(options);
    const live = this.#worker;
    if (live !== null && live.alive && this.#version === context.version && this.#key === key) {
      this.#host.touch(this);
      const { raw, kept, retired } = await live.run(options);
      this.#info = { warm: true, coldReason: null };
      this.#settle(kept, raw, retired);
      return raw;
    }
    let reason = this.#coldReason;
    if (live !== null && live.alive) {
      reason =
        this.#version !== context.version
          ? `the session's files changed outside this sandbox since its last execution (stored version ${context.version}, the live interpreter had ${this.#version ?? "an uncommitted run"})`
          : "this execution's settings (memory cap, clock mode, environment, mounts or tools) differ from the live interpreter's";
    }
    await this.#end(null);
    this.#coldReason = null;
    this.#info = { warm: false, coldReason: reason };
    if (this.#closed) return this.#cold(options);
    const worker = new LiveWorker();
    if (!(await this.#host.admit(this))) {
      await worker.terminate();
      this.#info = { warm: false, coldReason: `every one of this host's ${this.#host.maxSessions} live sessions is running (keepAlive maxSessions); this execution ran without keeping its interpreter` };
      return this.#cold(options);
    }
    this.#worker = worker;
    this.#key = key;
    this.#version = null;
    const { raw, kept, retired } = await worker.run(options);
    this.#settle(kept, raw, retired);
    return raw;
  }

  /** A cold run that keeps nothing: on a worker of its own, ended right after. */
  async #cold(options: RunOptions): Promise<RawRun> {
    const worker = new LiveWorker();
    try {
      return (await worker.run(options)).raw;
    } finally {
      await worker.terminate();
    }
  }

  #settle(kept: boolean, raw: RawRun, retired: string | null): void {
    this.#version = null;
    if (kept) return;
    this.#coldReason =
      retired !== null
        ? retired
        : raw.trapReason !== null
        ? `the previous execution was stopped (${raw.trapReason}), which ended its live interpreter; this one started from the session's files and saved state`
        : `the previous execution ended its interpreter (exit code ${raw.exitCode}); this one started from the session's files and saved state`;
    this.#worker = null;
    this.#host.release(this);
  }

  committed(version: number): void {
    if (this.#worker !== null) this.#version = version;
  }

  async drop(reason: string): Promise<void> {
    await this.#end(reason);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#end(null);
  }

  async #end(reason: string | null): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = null;
    this.#version = null;
    this.#host.release(this);
    if (worker !== null) {
      if (reason !== null) this.#coldReason = reason;
      await worker.terminate();
    }
  }

  #armIdle(): void {
    clearTimeout(this.#idle);
    if (this.#worker === null || this.#closed) return;
    this.#idle = setTimeout(() => void this.drop(`the live interpreter was ended after ${this.#idleMs} ms idle (keepAlive idleMs)`), this.#idleMs);
    this.#idle.unref();
  }
}

/**
 * What a live interpreter depends on besides the session's files: an execution whose
 * settings differ cannot continue it. Mount contents are compared by identity (plugins
 * memoize their mounts; the caller's are fixed per sandbox), never by walking them.
 */
function settingsKey(options: RunOptions): string {
  const { limits } = options;
  return JSON.stringify([
    options.driver ?? "",
    options.image?.hash ?? null,
    limits.memoryBytes,
    limits.deterministic,
    limits.randomSeed,
    limits.maxToolCalls ?? null,
    limits.maxToolArgsBytes ?? null,
    options.toolManifest ?? "[]",
    options.env,
    options.mounts.map((m) => [m.guestPath, m.hostPath ?? null, m.files === undefined ? null : identity(m.files)]),
  ]);
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identity(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}
