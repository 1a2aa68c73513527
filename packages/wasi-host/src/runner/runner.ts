/**
 * The runner: everything between a plugin's `prepare` and its `interpret`. It owns what
 * runs share — the worker pool, the metered images, the snapshots, the plugins' memoized
 * preparations — loads each once, and performs the single `run()` of an execution.
 * A SandboxHost owns one runner; `close()` frees all of it.
 */
import type {
  ImageSource,
  PrepareContext,
  PrepareRequest,
  RawRun,
  ReadonlyMount,
  Refusal,
  RunInterpretation,
  RunSpec,
  RuntimePlugin,
  WorkspaceSource,
} from "@llm-wasm-sandbox/core";
import { resolveCacheDir } from "../cache/cache-dir.js";
import { pruneCacheIfDue } from "../cache/prune-cache.js";
import { loadModuleWithSnapshot } from "../load-module.js";
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "../pool/worker-pool.js";
import { runLimitsFromPolicy } from "../run-limits.js";
import type { MeteredImage, RunOptions } from "../types.js";
import type { SnapshotPreload } from "../snapshot/preload-snapshot.js";
import { SnapshotStore, type SnapshotOrigin, type SnapshotOwner } from "./snapshot-store.js";
import { noteRunDriver } from "../start-hint/record-start-hint.js";

/** Options of `createRunner`. */
export interface RunnerOptions {
  /** Directory for on-disk caches (instrumented modules, snapshots); the wasi-host default when absent. */
  readonly cacheDir?: string;
  /** A pool to run on (not closed by the runner), or options for a pool the runner owns. Default: an owned pool with default options. */
  readonly pool?: WorkerPool | WorkerPoolOptions;
  /**
   * Delete cache entries unused for this many ms (see `pruneCache`), checked at most once
   * a day per cache directory, after the runner's first execution. Default: never.
   */
  readonly cacheMaxAgeMs?: number;
  /**
   * Runtimes (`RuntimePlugin.type`) whose runs keep an instance ready in the worker thread
   * that ran them, for that thread's next run of the same kind (see `RunOptions.prewarm`).
   * Default: none.
   */
  readonly prewarm?: readonly string[];
}

/** What one execution brings besides the plugin's prepared spec. */
export interface RunnerInput {
  readonly request: PrepareRequest;
  /** The session's files at the start of the run. */
  readonly workspace: WorkspaceSource;
  readonly signal?: AbortSignal;
  readonly onToolCall?: RunOptions["onToolCall"];
  /** JSON text of the host functions' manifest (see `RunOptions.toolManifest`). */
  readonly toolManifest?: string;
  readonly onOutput?: RunOptions["onOutput"];
  /**
   * A host's warm-up run: the instance it leaves for its thread's next run never replaces
   * one a real run left there (`RunOptions.prewarm` "if-vacant").
   */
  readonly warmUp?: boolean;
  /** Runs the prepared run somewhere else than the pool (a warm session's live worker). */
  readonly dispatch?: (options: RunOptions) => Promise<RawRun>;
}

/** A raw run and the plugin's reading of it. */
export interface Executed {
  readonly raw: RawRun;
  readonly interpretation: RunInterpretation;
}

/** See the module documentation. */
export interface Runner extends AsyncDisposable {
  readonly cacheDir: string;
  /** The memoizing context plugins prepare with. */
  readonly context: PrepareContext;
  /** Prepares, runs and interprets one execution of `plugin`. */
  execute(plugin: RuntimePlugin, input: RunnerInput): Promise<Executed>;
  /** Loads a plugin image (metered, cached on disk, compiled) once per runner. */
  image(source: ImageSource): Promise<MeteredImage>;
  /** Where each snapshot this runner used came from (disk file or snapshot run), in order. */
  readonly snapshotOrigins: readonly SnapshotOrigin[];
  /**
   * Starts the pool's threads now (when owned) instead of at the first execution, e.g. while
   * the caller still loads the plugin: a one-shot process (the CLI) overlaps the thread's
   * start-up with its own. Idempotent; no-op once closed.
   */
  start(): void;
  /** Closes the pool (when owned) and forgets images, snapshots and preparations. */
  close(): Promise<void>;
}

/** Creates a runner; nothing starts until the first execution (or `start()`). */
export function createRunner(options: RunnerOptions = {}): Runner {
  const cacheDir = resolveCacheDir(options.cacheDir);
  const external = isPool(options.pool) ? options.pool : null;
  let owned: WorkerPool | null = null;
  let closed = false;
  const pool = (): WorkerPool => {
    if (external !== null) return external;
    owned ??= createWorkerPool(isPool(options.pool) ? {} : (options.pool ?? {}));
    return owned;
  };
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, create: () => Promise<T>): Promise<T> => {
    let pending = memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = create();
      memo.set(key, pending);
      pending.catch(() => memo.delete(key));
    }
    return pending;
  };
  const snapshots = new SnapshotStore(pool, cacheDir);
  let pruning: Promise<unknown> | null = null;
  const pruneOnce = (): void => {
    if (options.cacheMaxAgeMs === undefined) return;
    // Never waited for by a run, never an error of one: a cache that cannot be pruned just grows.
    pruning ??= pruneCacheIfDue(cacheDir, options.cacheMaxAgeMs).catch(() => null);
  };
  const prewarm = new Set(options.prewarm ?? []);
  const context: PrepareContext = { cacheDir, once };
  /**
   * Loads an image once per runner. The first load of a run's image also loads the run's
   * snapshot file and imports its driver in the same pool thread, while V8 compiles.
   */
  const image = (source: ImageSource, snapshot: SnapshotRequest | null = null): Promise<MeteredImage> =>
    once(`image\0${source.id}`, async () => {
      const preload: SnapshotPreload | null = snapshot === null ? null : snapshots.preloadRequest(snapshot.driver, snapshot.owner, snapshot.spec);
      const loaded = await loadModuleWithSnapshot(
        await source.load(),
        {
          name: source.name,
          cacheDir,
          pool: pool(),
          ...(source.exportMutableGlobals ? { exportMutableGlobals: true } : {}),
          ...(source.transform ? { transform: source.transform } : {}),
        },
        preload,
      );
      if (snapshot !== null && loaded.snapshot !== null) snapshots.offer(loaded.image, snapshot.driver, snapshot.spec, loaded.snapshot);
      return loaded.image;
    });

  const runner: Runner = {
    cacheDir,
    context,
    image: (source) => image(source),
    get snapshotOrigins() {
      return snapshots.origins;
    },
    async execute(plugin, input) {
      if (closed) throw new Error("this runner is closed");
      const started = performance.now();
      const prepared = await plugin.prepare(input.request, context);
      const raw = prepared.kind === "refusal" ? refusedRun(prepared, performance.now() - started) : await run(plugin, prepared, input);
      const interpretation = prepared.kind === "refusal" ? refusalInterpretation(prepared) : plugin.interpret(raw, input.request);
      pruneOnce();
      return { raw, interpretation };
    },
    start() {
      if (!closed) pool();
    },
    async close() {
      closed = true;
      memo.clear();
      await pruning;
      await snapshots.flush();
      snapshots.clear();
      await owned?.close();
      owned = null;
    },
    [Symbol.asyncDispose]: () => runner.close(),
  };

  async function run(plugin: RuntimePlugin, spec: RunSpec, input: RunnerInput): Promise<RawRun> {
    const { request } = input;
    const owner: SnapshotOwner = { runtime: `${plugin.packageName}@${plugin.version}`, argv0: spec.argv[0] ?? plugin.type };
    const wanted = spec.snapshot === undefined ? null : { driver: spec.driver, owner, spec: spec.snapshot };
    const metered = spec.image === null ? null : await image(spec.image, wanted);
    const snapshot = wanted === null || metered === null ? null : await snapshots.get(metered, spec.driver, owner, wanted.spec);
    noteRunDriver(spec.driver); // for the next process's start hint (see start-hint/start-hint.ts)
    const userCode = spec.userCodeFile ?? { name: `user_code${plugin.fileExtension}`, bytes: new TextEncoder().encode(request.code) };
    const options: RunOptions = {
      image: metered,
      driver: spec.driver,
      driverData: spec.driverData ?? null,
      argv: spec.argv,
      env: { ...spec.envAdditions, ...request.policy.env },
      ...(spec.stdin ? { stdin: spec.stdin } : {}),
      workspace: input.workspace,
      mounts: mergeMounts(request.mounts, spec.mounts ?? []),
      seedFiles: { ...spec.seedFiles, [userCode.name]: userCode.bytes },
      limits: runLimitsFromPolicy(request.policy),
      snapshot,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onToolCall ? { onToolCall: input.onToolCall } : {}),
      ...(input.toolManifest !== undefined ? { toolManifest: input.toolManifest } : {}),
      ...(input.onOutput ? { onOutput: input.onOutput } : {}),
      ...(prewarm.has(plugin.type) ? { prewarm: input.warmUp === true ? "if-vacant" : true } : {}),
    };
    return input.dispatch ? input.dispatch(options) : pool().run(options);
  }

  return runner;
}

/** The snapshot a run wants with its image. */
interface SnapshotRequest {
  readonly driver: string;
  readonly owner: SnapshotOwner;
  readonly spec: NonNullable<RunSpec["snapshot"]>;
}

/** The caller's mounts, then the runtime's own at paths the caller did not take. */
function mergeMounts(caller: readonly ReadonlyMount[], runtime: readonly ReadonlyMount[]): ReadonlyMount[] {
  const taken = new Set(caller.map((m) => m.guestPath));
  return [...caller, ...runtime.filter((m) => !taken.has(m.guestPath))];
}

/** A refused input, reported like a failed run: exit code 1, the reason on stderr. */
function refusedRun(refusal: Refusal, durationMs: number): RawRun {
  return {
    exitCode: 1,
    trapReason: null,
    trapMessage: null,
    stdout: "",
    stderr: `${refusal.name}: ${refusal.message}\n`,
    stdoutTruncated: false,
    stderrTruncated: false,
    fuelConsumed: 0,
    memoryUsedBytes: 0,
    durationMs,
    journal: { entries: [] },
    plan: null,
    facts: [],
  };
}

function refusalInterpretation(refusal: Refusal): RunInterpretation {
  return {
    success: false,
    languageError: {
      name: refusal.name,
      message: refusal.message,
      ...(refusal.guidance?.length ? { guidance: [...refusal.guidance] } : {}),
      ...(refusal.errorKind ? { kind: refusal.errorKind } : {}),
    },
  };
}

function isPool(value: RunnerOptions["pool"]): value is WorkerPool {
  return typeof value === "object" && value !== null && "run" in value && typeof (value as WorkerPool).run === "function";
}
