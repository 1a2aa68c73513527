import type { CommitPlan } from "./commit-plan.js";
import type { GuestFact } from "./guest-facts.js";
import type { LanguageError } from "./guidance/error-guidance.js";
import type { ExecutionPolicy, ExecutionPolicyInput } from "./policy.js";
import type { TrapReason } from "./result.js";
import type { RuntimeType } from "./runtime-type.js";
import type { Journal, WorkspaceEntry } from "./storage.js";

/**
 * The session workspace as a run sees it at its start: the listing is known up front,
 * file bytes are read only when the guest opens a file.
 */
export interface WorkspaceSource {
  readonly entries: readonly WorkspaceEntry[];
  /** Reads one file's bytes (canonical relative path). */
  read(path: string): Promise<Uint8Array>;
}

/** A read-only tree mounted into the guest besides /app. */
export interface ReadonlyMount {
  /** Absolute guest path, e.g. `/data/site-packages` or `/external`. */
  readonly guestPath: string;
  /** A host directory read lazily; symlinks and special files in it are never followed. */
  readonly hostPath?: string;
  /** In-memory files keyed by relative path. */
  readonly files?: Readonly<Record<string, Uint8Array>>;
}

/**
 * What a plugin is asked to prepare: the user's code and the run's settings. Plain data;
 * the workspace, the cancellation signal and the logger stay with the host.
 */
export interface PrepareRequest {
  readonly code: string;
  readonly policy: ExecutionPolicy;
  readonly sessionId: string;
  /** Read-only mounts the caller granted (the plugin may add its own in the RunSpec). */
  readonly mounts: readonly ReadonlyMount[];
  /** Persist the language's globals (or its `_state`) between executions of the session. */
  readonly autoPersistGlobals: boolean;
  /** Program arguments (the CLI passes them through). */
  readonly args: readonly string[];
}

/**
 * Where a runtime's WebAssembly comes from. The host loads it once per host (metered,
 * cached on disk, compiled off the main thread) and shares it between runs; keep one
 * object per binary at module level so the host can memoize by `id`.
 */
export interface ImageSource {
  /** Stable identity for memoizing, e.g. `"@llm-wasm-sandbox/runtime-lua@0.2.0/glue.wasm"`. */
  readonly id: string;
  /** Human name used in messages and cache file names, e.g. `"lua-glue.wasm"`. */
  readonly name: string;
  /**
   * The module's bytes, or the absolute path of a file holding them (a path lets the
   * host skip re-reading and re-hashing an unchanged file on warm starts).
   */
  load(): Promise<Uint8Array | string>;
  /** Export the module's mutable globals (snapshots of an initialized instance need them). */
  readonly exportMutableGlobals?: boolean;
  /**
   * A rewrite of the module's bytes the host applies before metering, in the pool thread
   * that prepares the image (never on the main thread); its `id` is part of the image's
   * cache key, so change the id whenever the rewrite's output changes.
   */
  readonly transform?: ImageTransform;
}

/**
 * A plugin's own rewrite of its binary (e.g. Ruby's stack layout). `module` is the file URL
 * of a built module whose default export takes the original bytes and returns the rewritten
 * ones (a valid module; the fuel meter then instruments it like any other).
 */
export interface ImageTransform {
  /** Names the rewrite and its version, e.g. `"ruby-stack-layout@1"`. */
  readonly id: string;
  /** File URL of the built transform module. */
  readonly module: string;
}

/**
 * An initialized-interpreter snapshot a run starts from. The host takes it once per host
 * and `key` (running the plugin's driver with `driverData` and `ctx.snapshot === null`;
 * the driver hands the result to `ctx.saveSnapshot`), then gives it to every run whose
 * spec names the same key. Snapshots are shared across sessions, so the init run sees
 * empty trees at `mountPaths` (or the runtime's own `mounts`) and no session data.
 */
export interface SnapshotSpec {
  /** Distinguishes the snapshots of one image, e.g. by the mount layout they were taken with. */
  readonly key: string;
  /** `ctx.data` of the snapshot run. */
  readonly driverData: unknown;
  /** Guest paths of the read-only mounts the snapshot run sees (empty), in order. */
  readonly mountPaths: readonly string[];
  /**
   * The runtime's own read-only mounts the snapshot run sees instead of empty trees at
   * `mountPaths` (e.g. the standard library the initialization imports). Never session
   * data. Their contents are not hashed: `key` must name them (a version, a content hash).
   */
  readonly mounts?: readonly ReadonlyMount[];
}

/**
 * Pure data: what the host runs for one execution. The host merges it with the request
 * (policy env under the additions' names, the caller's mounts first), writes the user's
 * code to `/app/user_code<fileExtension>` unless `userCodeFile` says otherwise, loads the
 * image, and runs the driver in a worker under the policy's limits.
 */
export interface RunSpec {
  readonly kind: "run";
  /** The module to instantiate; null when the driver compiles its own (user-supplied modules). */
  readonly image: ImageSource | null;
  /** File URL of the worker-side driver module (see `@llm-wasm-sandbox/wasi-host/driver`). */
  readonly driver: string;
  /** Structured-clonable data for the driver (`ctx.data`), checked by the driver on arrival. */
  readonly driverData?: unknown;
  readonly argv: readonly string[];
  /** Variables the interpreter needs; the policy's own `env` wins over a name given here. */
  readonly envAdditions?: Readonly<Record<string, string>>;
  /** The runtime's own read-only mounts; a caller's mount at the same guest path wins. */
  readonly mounts?: readonly ReadonlyMount[];
  /** Files placed in /app before the run, not journaled (besides the user's code). */
  readonly seedFiles?: Readonly<Record<string, Uint8Array>>;
  /** Name and bytes of the user's code in /app; default `user_code<fileExtension>` with the UTF-8 code. */
  readonly userCodeFile?: { readonly name: string; readonly bytes: Uint8Array };
  readonly stdin?: Uint8Array;
  /** Start every run from this snapshot (taken once per host). */
  readonly snapshot?: SnapshotSpec;
}

/**
 * The plugin declines to run the input (a module over a cap, code it cannot accept). The
 * host reports it like a failed run: exit code 1, the message on stderr, and a language
 * error named `name` for the guidance.
 */
export interface Refusal {
  readonly kind: "refusal";
  /** Error name, e.g. `"ModuleRefused"`. */
  readonly name: string;
  readonly message: string;
  /** Advice for the reader, one sentence each. */
  readonly guidance?: readonly string[];
  /** Which common kind of error this is, when it is one (e.g. a syntax error). */
  readonly errorKind?: LanguageError["kind"];
}

/** What a run measured; the plugin interprets it and the host turns it into a SandboxResult. */
export interface RawRun {
  readonly exitCode: number;
  readonly trapReason: TrapReason | null;
  /** The host's account of why it stopped the guest (null when it did not). */
  readonly trapMessage: string | null;
  /** The guest's output, as it wrote it (the host never adds its own words here). */
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  /** Fuel the guest used; a lower bound when the wall clock or the caller stopped it (see `SandboxResultFields.fuelConsumed`). */
  readonly fuelConsumed: number;
  readonly memoryUsedBytes: number;
  readonly durationMs: number;
  /** True when the run's instance was a pre-warmed one (see `createSandboxHost({ prewarm })`). */
  readonly prewarmed?: boolean;
  /** Workspace changes, in the order the guest made them. */
  readonly journal: Journal;
  /**
   * What committing `journal` to the workspace the run started from changes, planned in
   * the worker (so the host's main thread never walks the listing); null when the run was
   * stopped or refused before it could report changes (its journal is empty then).
   */
  readonly plan: CommitPlan | null;
  /** Structured facts the runtime's own bootstrap reported on the control channel. */
  readonly facts: readonly GuestFact[];
  /** Things the host noticed that the caller should know (e.g. files that could not be kept). */
  readonly notes?: readonly string[];
}

/** The runtime's reading of a raw run. */
export interface RunInterpretation {
  /** Default: exit code 0 and no trap. */
  readonly success?: boolean;
  /** The language error (usually from an `error` fact), for errorGuidance. */
  readonly languageError?: LanguageError | null;
  /** Notes for the caller (e.g. globals that could not be persisted), in the host's words. */
  readonly notes?: readonly string[];
}

/** Host resources a plugin may use while preparing: memoized per host, freed with it. */
export interface PrepareContext {
  /** Directory for caches (instrumented modules, snapshots, precompiled files). */
  readonly cacheDir: string;
  /**
   * Runs `create` once per host and `key` and returns its (shared) result; a rejected
   * promise is forgotten so the next call retries.
   */
  once<T>(key: string, create: () => Promise<T>): Promise<T>;
}

/** A package installed for a runtime. */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
}

/** Options of every `RuntimePackages` method. */
export interface RuntimePackageOptions {
  /** The host directory holding the installed packages (default: `RuntimePackages.defaultDir()`). */
  readonly dir?: string;
  /** The package index to install names from (`add` only; default: the runtime's own). */
  readonly indexUrl?: string;
  /** Also install the package's requirements (`add` only; default true). */
  readonly dependencies?: boolean;
}

/**
 * Optional package management: libraries installed on the host into a directory that runs
 * see read-only at `guestPath`. The CLI (`llm-wasm-sandbox vendor`) and the MCP server
 * (`install_package`) drive whichever runtimes offer it, with no runtime-specific code.
 */
export interface RuntimePackages {
  /** What a package is for this runtime, for help texts ("pure-Python packages (wheels)"). */
  readonly description: string;
  /** Where runs see the installed packages (mount the directory there, read-only). */
  readonly guestPath: string;
  /** The directory used when `options.dir` is not given. */
  defaultDir(): string;
  /** Installs a package by name (`attrs`, `attrs==23.2.0`) or from a file or directory on the host. */
  add(source: string, options?: RuntimePackageOptions): Promise<{ readonly installed: readonly InstalledPackage[]; readonly skippedRequirements: readonly string[] }>;
  /** The installed packages, sorted by name. */
  list(options?: RuntimePackageOptions): Promise<readonly InstalledPackage[]>;
  /** Removes an installed package; returns it. */
  remove(name: string, options?: RuntimePackageOptions): Promise<InstalledPackage>;
}

/**
 * A runtime plugin (contract v2): a readonly descriptor. `prepare` turns a request into a
 * RunSpec (pure data) or a Refusal; the host loads, memoizes and runs; `interpret` reads
 * the RawRun. Heavy parts load lazily (the image's `load`, the driver in the worker).
 */
export interface RuntimePlugin {
  readonly specificationVersion: "v2";
  readonly type: RuntimeType;
  readonly displayName: string;
  /** E.g. "CPython 3.14.2". */
  readonly languageVersion: string;
  /** Extension of the user-code file, with the dot: ".py". */
  readonly fileExtension: string;
  /** Other extensions the CLI maps to this runtime (".mjs"). */
  readonly extraExtensions?: readonly string[];
  /** npm package that provides the plugin, for install hints. */
  readonly packageName: string;
  /** Version of that package. */
  readonly version: string;
  /** Policy defaults for this runtime, applied under the caller's policy. */
  readonly defaults?: ExecutionPolicyInput;
  prepare(request: PrepareRequest, context: PrepareContext): RunSpec | Refusal | Promise<RunSpec | Refusal>;
  interpret(raw: RawRun, request: PrepareRequest): RunInterpretation;
  /** Package management, when the runtime has packages to install (Python). */
  readonly packages?: RuntimePackages;
  /**
   * True when the runtime's driver can continue a live interpreter (warm sessions,
   * `createSandbox({ keepAlive })`): at the end of a run whose interpreter is still sound
   * it calls `ctx.live.keep(next)`, and `next(driverData)` runs the session's next program
   * in the same interpreter, reporting facts and errors as a fresh run would. Runtimes
   * without it run every execution of a keepAlive session cold (`warm: false`, with a note).
   */
  readonly warmSessions?: boolean;
}
