import type { LanguageError } from "./guidance/error-guidance.js";
import type { SandboxLogger } from "./logger.js";
import type { ExecutionPolicy, ExecutionPolicyInput } from "./policy.js";
import type { TrapReason } from "./result.js";
import type { RuntimeType } from "./runtime-type.js";
import type { Journal, WorkspaceEntry } from "./storage.js";

/**
 * The session workspace as a runtime sees it at the start of a run: the listing is
 * known up front, file bytes are read only when the guest opens a file.
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

/** Everything a runtime needs for one execution. */
export interface ExecutionRequest {
  readonly code: string;
  readonly policy: ExecutionPolicy;
  readonly sessionId: string;
  readonly workspace: WorkspaceSource;
  readonly mounts: readonly ReadonlyMount[];
  /** Persist the language's globals (or its `_state`) between executions of the session. */
  readonly autoPersistGlobals: boolean;
  /** Extra program arguments (the CLI passes them through). */
  readonly args?: readonly string[];
  /** Aborting cancels the run (reported as trap `cancelled`). */
  readonly signal?: AbortSignal;
  readonly logger: SandboxLogger;
}

/** What the engine measured; the umbrella turns it into a SandboxResult. */
export interface RawRun {
  readonly exitCode: number;
  readonly trapReason: TrapReason | null;
  readonly trapMessage: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  readonly fuelConsumed: number;
  readonly memoryUsedBytes: number;
  readonly durationMs: number;
  /** Workspace changes, to be committed by the caller. */
  readonly journal: Journal;
  /** Things the host noticed that the caller should know (e.g. files that could not be kept). */
  readonly notes?: readonly string[];
}

/** The runtime's reading of a raw run. */
export interface RunInterpretation {
  readonly success: boolean;
  /** The language error parsed from the output, for errorGuidance. */
  readonly languageError?: LanguageError | null;
  /** Notes for the caller (e.g. globals that could not be persisted). */
  readonly notes?: readonly string[];
  /** Replacement output, when the runtime removes its own framing from it. */
  readonly stdout?: string;
  readonly stderr?: string;
}

/** A loaded runtime: its WebAssembly compiled, ready to run executions. */
export interface RuntimeEngine {
  /** E.g. "CPython 3.12.0". */
  readonly languageVersion: string;
  execute(request: ExecutionRequest): Promise<RawRun>;
  interpret(run: RawRun, request: ExecutionRequest): RunInterpretation;
  /** Releases workers and compiled modules. */
  close(): Promise<void>;
}

/** Options the host passes to `RuntimePlugin.load`. */
export interface RuntimeLoadOptions {
  /** Directory for instrumented-module caches; the wasi-host default when absent. */
  readonly cacheDir?: string;
  readonly logger: SandboxLogger;
}

/**
 * A runtime plugin (contract version v1): a small readonly object whose heavy parts
 * (the WebAssembly binary, the engine) load only in `load()`.
 */
export interface RuntimePlugin {
  readonly specificationVersion: "v1";
  readonly type: RuntimeType;
  readonly displayName: string;
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
  load(options: RuntimeLoadOptions): Promise<RuntimeEngine>;
}
