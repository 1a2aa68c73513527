import {
  defaultRegistry,
  parseOrThrow,
  type RuntimeRegistry,
  type SandboxLogger,
  silentLogger,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { createRunner, LiveSessions, type Runner } from "@llm-wasm-sandbox/wasi-host/host";
import { z } from "zod";
import { resolveStorage } from "./sessions/index.js";
import { flushResolvedStorages } from "./sessions/resolve-storage.js";
import { sessionLocksReleased } from "./sessions/session-lock.js";
import { DEFAULT_KEEP_ALIVE_IDLE_MS, DEFAULT_MAX_LIVE_SESSIONS, type HostKeepAliveOptions, HostKeepAliveOptionsSchema } from "./sessions/keep-alive.js";
import { parseTools, type ToolSet } from "./tools/define-tools.js";
import { warmUpHost, type WarmUpResult } from "./warm-up.js";

/** Options of `createSandboxHost`. */
export interface SandboxHostOptions {
  /** Directory for instrumented modules and snapshots (default `$LLM_SANDBOX_CACHE_DIR` or `~/.cache/llm-wasm-sandbox`). */
  readonly cacheDir?: string;
  /**
   * Cache entries (instrumented modules, snapshots, unpacked standard libraries) unused for
   * this many days are deleted — checked at most once a day, in the background, after the
   * host's first execution — so runtime upgrades do not pile up old entries. `false` keeps
   * everything (prune by hand with `pruneCache` or `llm-wasm-sandbox cache prune`). Default 30.
   */
  readonly cacheMaxAgeDays?: number | false;
  /** Structured logger (a pino logger fits) for the host and every sandbox on it; silent by default. */
  readonly logger?: SandboxLogger;
  /** Storage for sandboxes that do not bring their own (default: disk storage at `workspaceRoot`). */
  readonly storage?: StorageAdapter;
  /** Root of the default disk storage (default `./workspace`). Ignored when `storage` is given. */
  readonly workspaceRoot?: string;
  /** The worker threads that run guests. */
  readonly pool?: {
    /** Concurrent runs at most (one per thread). Default `min(availableParallelism(), 4)`. */
    readonly size?: number;
    /** Threads kept started while idle. Default 1. */
    readonly minThreads?: number;
    /** How long an idle thread above `minThreads` lives, in ms. Default 30 000. */
    readonly idleTimeoutMs?: number;
  };
  /** Where runtimes are looked up (default: the process-wide registry). */
  readonly registry?: RuntimeRegistry;
  /** Host functions every sandbox on this host offers its guests (see `CreateSandboxOptions.tools`). */
  readonly tools?: ToolSet;
  /** Limits on warm sessions (`createSandbox({ keepAlive })`): how many live interpreters, how long idle. */
  readonly keepAlive?: HostKeepAliveOptions;
  /**
   * Runtimes to run from pre-warmed instances, e.g. `["javascript", "python"]`. After each
   * run of such a runtime, the worker thread that ran it builds the next instance — memory
   * with the run's cap, module instantiated, interpreter snapshot restored — so its next
   * run of that runtime (with the same memory cap) skips that part of its start. Such an
   * instance is never used twice and behaves exactly like one a run builds itself (same
   * output, same fuel; every limit binds as usual); `result.prewarmed` says whether a run
   * had one. JavaScript and Lua instances also have their interpreter started (its fuel is
   * charged to the run that takes one).
   *
   * The host also warms each listed runtime up at creation, in the background: one empty
   * program on throwaway storage loads its image and snapshot, starts a pool thread and
   * leaves that thread's first instance waiting, so even the first execute can take one
   * (`host.warmedUp` says when). Other threads' first run of a runtime is cold.
   *
   * Cost: one waiting instance per listed runtime in each worker thread, i.e. up to
   * `pool.size` × the runtime's instance size (README, Performance: "Pre-warmed instances").
   * Default: none. `wasm` (the user's own module) has nothing to pre-warm.
   */
  readonly prewarm?: readonly string[];
}

const DEFAULT_CACHE_MAX_AGE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What sandboxes share: the worker pool, the metered runtime images, the interpreter
 * snapshots, default storage, logger and cache directory. One per process is the usual
 * (`createSandbox` uses a lazily created default host); create your own to size the pool,
 * separate caches, or free everything deterministically with `await host.close()` /
 * `await using host = createSandboxHost()`.
 */
export interface SandboxHost extends AsyncDisposable {
  readonly cacheDir: string;
  readonly logger: SandboxLogger;
  readonly registry: RuntimeRegistry;
  /** The default storage of sandboxes created on this host. */
  readonly storage: StorageAdapter;
  /** True once `close()` was called. */
  readonly closed: boolean;
  /** The host functions shared by the sandboxes on this host (validated). */
  readonly tools: ToolSet;
  /**
   * Stops the worker threads (runs in flight finish first) and forgets images, snapshots
   * and preparations, and waits for what runs on after `execute` returned: the release of
   * a run's session lock, and the last step of disk commits on the adapters this package
   * created from a `workspaceRoot` (a caller's own adapter: its `close()` waits). Sandboxes created on this host stop
   * working. Idempotent.
   */
  close(): Promise<void>;
  /** @internal The runner executions go through. */
  readonly runner: Runner;
  /** @internal The live interpreters of keepAlive sandboxes. */
  readonly live: LiveSessions;
  /** Live interpreters (warm sessions) this host holds now. */
  readonly liveSessions: number;
  /**
   * The background warm-up of the runtimes in `SandboxHostOptions.prewarm`, started at
   * creation; resolves (never rejects) with how each went, `[]` without `prewarm`.
   */
  readonly warmedUp: Promise<readonly WarmUpResult[]>;
}

const HostOptionsSchema = z
  .object({
    cacheDir: z.string().min(1).optional(),
    cacheMaxAgeDays: z.union([z.number().positive().max(36_500), z.literal(false)]).optional(),
    logger: z.custom<SandboxLogger>((v) => typeof v === "object" && v !== null && "info" in v && "warn" in v, "a logger with debug/info/warn/error").optional(),
    storage: z.custom<StorageAdapter>((v) => typeof v === "object" && v !== null && "commit" in v && "listFiles" in v, "a StorageAdapter").optional(),
    workspaceRoot: z.string().min(1).optional(),
    pool: z
      .object({
        size: z.number().int().min(1).max(256).optional(),
        minThreads: z.number().int().min(0).max(256).optional(),
        idleTimeoutMs: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    registry: z.custom<RuntimeRegistry>((v) => typeof v === "object" && v !== null && "get" in v && "register" in v, "a RuntimeRegistry").optional(),
    tools: z.custom<ToolSet>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "an object of tools by name").optional(),
    keepAlive: HostKeepAliveOptionsSchema.optional(),
    prewarm: z.array(z.string().min(1).max(64)).max(32).optional(),
  })
  .strict();

/**
 * Creates a host. Nothing starts until the first execution.
 * @throws PolicyValidationError for bad options.
 */
export function createSandboxHost(options: SandboxHostOptions = {}): SandboxHost {
  const opts = parseOrThrow(HostOptionsSchema, options, "createSandboxHost options") as SandboxHostOptions;
  const tools = parseTools(opts.tools ?? {}, "createSandboxHost tools");
  const maxAgeDays = opts.cacheMaxAgeDays ?? DEFAULT_CACHE_MAX_AGE_DAYS;
  const runner = createRunner({
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    pool: opts.pool ?? {},
    ...(opts.prewarm ? { prewarm: opts.prewarm } : {}),
    ...(maxAgeDays === false ? {} : { cacheMaxAgeMs: maxAgeDays * DAY_MS }),
  });
  const storage = resolveStorage({ storage: opts.storage, workspaceRoot: opts.workspaceRoot });
  const live = new LiveSessions({ maxSessions: opts.keepAlive?.maxSessions ?? DEFAULT_MAX_LIVE_SESSIONS, idleMs: opts.keepAlive?.idleMs ?? DEFAULT_KEEP_ALIVE_IDLE_MS });
  let closed = false;
  const logger = opts.logger ?? silentLogger;
  const host: SandboxHost = {
    cacheDir: runner.cacheDir,
    logger,
    registry: opts.registry ?? defaultRegistry,
    storage,
    tools,
    runner,
    live,
    get liveSessions() {
      return live.size;
    },
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      if (defaultHostInstance === host) defaultHostInstance = null;
      await live.close();
      await runner.close();
      // What runs on after execute returned: lock releases, and the last step of commits on the
      // disk adapters resolveStorage made (their close only waits; they are shared and stay
      // usable). A caller's own adapter is theirs to close.
      await sessionLocksReleased();
      await flushResolvedStorages();
    },
    [Symbol.asyncDispose]: () => host.close(),
    warmedUp: Promise.resolve([]),
  };
  // The pool's thread boots (tens of ms: Node, then the worker's modules) while the caller
  // imports its runtime, opens a session and prepares its first run, instead of after.
  runner.start();
  const prewarm = opts.prewarm ?? [];
  if (prewarm.length > 0) {
    // After the caller's synchronous set-up (a sandbox it creates right away is not held up by the runtime imports).
    Object.assign(host, { warmedUp: new Promise<readonly WarmUpResult[]>((resolve) => setImmediate(() => resolve(warmUpHost(host, prewarm, logger)))) });
  }
  return host;
}

let defaultHostInstance: SandboxHost | null = null;

/** The process-wide host `createSandbox` uses when given none; created on first use. */
export function defaultHost(): SandboxHost {
  defaultHostInstance ??= createSandboxHost();
  return defaultHostInstance;
}

/** Closes the process-wide host, if one was created (a later `createSandbox` creates a fresh one). */
export async function closeDefaultHost(): Promise<void> {
  await defaultHostInstance?.close();
}
