import {
  type ExecutionPolicy,
  LogEvent,
  emptyPlan,
  type PrepareRequest,
  type ReadonlyMount,
  resolvePolicy,
  type RuntimePlugin,
  SandboxExecutionError,
  type SandboxLogger,
  type SandboxResult,
  type StorageAdapter,
  StorageConflictError,
} from "@llm-wasm-sandbox/core";
import { buildResult } from "./build-result.js";
import { type ExecuteOptions, parseExecuteInput } from "./options.js";
import type { SandboxHost } from "./sandbox-host.js";
import type { LiveSlot, RunOptions } from "@llm-wasm-sandbox/wasi-host";
import { resultIdempotency, sessionQuotaOf, withSessionRun } from "./sessions/index.js";
import { coldRunNote, type SandboxKeepAlive } from "./sessions/keep-alive.js";
import type { ToolSet } from "./tools/define-tools.js";
import { describeTools, type ToolLanguage } from "./tools/describe-tools.js";
import { toolManifest } from "./tools/tool-manifest.js";
import { createToolRun, insideToolHandlerOf } from "./tools/tool-run.js";

/** What a Sandbox is made of; built by `createSandbox`. */
export interface SandboxParts {
  readonly sessionId: string;
  readonly plugin: RuntimePlugin;
  readonly host: SandboxHost;
  readonly policy: ExecutionPolicy;
  readonly storage: StorageAdapter;
  readonly mounts: readonly ReadonlyMount[];
  readonly autoPersistGlobals: boolean;
  readonly logger: SandboxLogger;
  /** Host functions (the host's and the sandbox's own), validated. */
  readonly tools: ToolSet;
  /** keepAlive settings, or null/absent when the interpreter is not kept between executions. */
  readonly keepAlive?: SandboxKeepAlive | null;
}

/**
 * One session bound to one runtime. `execute` runs code in a fresh WebAssembly
 * instance over the session's workspace and commits the workspace changes
 * atomically; executions of one session never interleave.
 */
export class Sandbox {
  readonly sessionId: string;
  readonly runtime: string;
  readonly policy: ExecutionPolicy;
  readonly autoPersistGlobals: boolean;
  readonly storage: StorageAdapter;
  readonly #parts: SandboxParts;
  /** JSON text of the tools' manifest, built once. */
  readonly #manifest: string | null;
  /** The live interpreter's slot (keepAlive), created on first use. */
  #live: LiveSlot | null = null;
  /** keepAlive executions run one after another: each continues the one before. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(parts: SandboxParts) {
    this.#parts = parts;
    this.sessionId = parts.sessionId;
    this.runtime = parts.plugin.type;
    this.policy = parts.policy;
    this.autoPersistGlobals = parts.autoPersistGlobals;
    this.storage = parts.storage;
    this.#manifest = Object.keys(parts.tools).length > 0 ? JSON.stringify(toolManifest(parts.tools)) : null;
  }

  /** The host functions this sandbox's guests may call. */
  get tools(): ToolSet {
    return this.#parts.tools;
  }

  /**
   * Text for a system prompt: how to call this sandbox's tools from `languages` (default:
   * this sandbox's runtime), with each tool's signature and description.
   */
  describeTools(languages?: readonly ToolLanguage[]): string {
    return describeTools(this.#parts.tools, languages ?? [this.runtime as ToolLanguage]);
  }

  /** Version string of the language, e.g. "CPython 3.14.2". */
  get languageVersion(): string {
    return this.#parts.plugin.languageVersion;
  }

  /** The host this sandbox runs on. */
  get host(): SandboxHost {
    return this.#parts.host;
  }

  /**
   * Runs `code`. Guest failures (errors, traps, limits) come back as a result with
   * `success: false`; only host-side problems throw.
   * @throws PolicyValidationError for bad input; StorageConflictError when another
   *   host changed the session concurrently (also when it replaced a file after this run's
   *   listing and before the run read it: retry the execution); StorageQuotaError when the run would
   *   grow the session past `maxSessionBytes`/`maxSessionFiles` (nothing is committed).
   */
  async execute(code: string, options?: ExecuteOptions): Promise<SandboxResult> {
    if (!this.keepAlive) return this.#execute(code, options);
    const turn = this.#queue.then(() => this.#execute(code, options));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** True when this sandbox keeps its interpreter alive between executions (`keepAlive`). */
  get keepAlive(): boolean {
    return this.#parts.keepAlive !== null && this.#parts.keepAlive !== undefined;
  }

  async #execute(code: string, options?: ExecuteOptions): Promise<SandboxResult> {
    const input = parseExecuteInput(code, options);
    const { host, plugin, storage, logger, sessionId } = this.#parts;
    if (this.#closed) throw new SandboxExecutionError("this sandbox is closed — create another with createSandbox()");
    if (host.closed) throw new SandboxExecutionError("the SandboxHost of this sandbox is closed — create the sandbox on an open host");
    if (insideToolHandlerOf(storage, sessionId)) {
      throw new SandboxExecutionError(`execute() of session ${sessionId} was called from one of its own tool handlers — it would wait forever for the run that is waiting on the handler; use another session`);
    }
    const policy = input.options.policy ? resolvePolicy(this.policy, input.options.policy) : this.policy;
    const { onStdout, onStderr } = input.options;
    const live = this.keepAlive && !this.#closed && plugin.warmSessions === true ? (this.#live ??= host.live.slot(this.#parts.keepAlive?.idleMs)) : null;
    let outcome: Awaited<ReturnType<typeof withSessionRun<SandboxResult>>>;
    try {
      outcome = await withSessionRun(
      storage,
      sessionId,
      async (start) => {
        const request: PrepareRequest = {
          code: input.code,
          policy,
          sessionId,
          mounts: this.#parts.mounts,
          autoPersistGlobals: this.autoPersistGlobals,
          args: input.options.args ?? [],
        };
        const tools = this.#manifest === null ? null : createToolRun({ tools: this.#parts.tools, policy, sessionId, runtime: plugin.type, storage, logger });
        // A file another writer replaced after this run's listing cannot be read (storage
        // refuses it); the run then computed from no one version of the session.
        let conflict: unknown = null;
        const read = (path: string): Promise<Uint8Array> =>
          start.read(path).catch((error: unknown) => {
            if (StorageConflictError.isInstance(error)) conflict ??= error;
            throw error;
          });
        logger.info({ event: LogEvent.EXECUTION_START, sessionId, runtime: plugin.type, codeBytes: input.code.length }, "execution start");
        const { raw, interpretation } = await host.runner.execute(plugin, {
          request,
          workspace: { entries: start.entries, read },
          ...(live !== null ? { dispatch: (runOptions: RunOptions) => live.run(runOptions, { version: start.metadata.version }) } : {}),
          ...(input.options.signal ? { signal: input.options.signal } : {}),
          ...(tools !== null && this.#manifest !== null ? { onToolCall: tools.onToolCall, toolManifest: this.#manifest } : {}),
          ...(onStdout || onStderr ? { onOutput: (stream: "stdout" | "stderr", text: string) => (stream === "stdout" ? onStdout : onStderr)?.(text) } : {}),
        });
        if (conflict !== null) throw conflict;
        // Planned in the worker against start.entries; a stopped run commits nothing.
        const plan = raw.plan ?? emptyPlan(start.metadata);
        const warm = this.#warmInfo(live, plugin);
        return { plan, value: buildResult({ raw, interpretation, commit: plan, policy, sessionId, runtime: plugin.type, toolCalls: tools?.calls ?? [], warm }) };
      },
      {
        quota: sessionQuotaOf(policy),
        ...(input.options.idempotencyKey ? { idempotency: resultIdempotency(input.options.idempotencyKey) } : {}),
      },
      );
    } catch (error) {
      // The live interpreter's files are no longer what storage holds.
      await live?.drop(`the previous execution's changes could not be committed (${error instanceof Error ? error.message : String(error)})`);
      throw error;
    }
    if (!outcome.replayed) live?.committed(outcome.commit.version);
    const result = outcome.value;
    logger.info(
      {
        event: LogEvent.EXECUTION_COMPLETE,
        sessionId,
        runtime: plugin.type,
        success: result.success,
        exitCode: result.exitCode,
        trapReason: result.trapReason,
        fuelConsumed: result.fuelConsumed,
        memoryUsedBytes: result.memoryUsedBytes,
        durationMs: result.durationMs,
        prewarmed: result.prewarmed,
        ...(policy.preserveLogs ? { stdout: result.stdout, stderr: result.stderr } : {}),
      },
      "execution complete",
    );
    return result;
  }

  /**
   * Closes the sandbox: later `execute` calls throw. The worker pool, images and snapshots
   * belong to its host — close the host to free them. The session's files stay in storage.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#live?.close();
  }

  /** How a keepAlive execution ran (`warm`, and the note when it ran cold after an earlier one). */
  #warmInfo(live: LiveSlot | null, plugin: RuntimePlugin): { warm: boolean; note: string | null } {
    if (live !== null) {
      const info = live.info();
      return { warm: info.warm, note: info.coldReason === null ? null : coldRunNote(info.coldReason) };
    }
    if (!this.keepAlive) return { warm: false, note: null };
    return { warm: false, note: coldRunNote(`the ${plugin.displayName} runtime cannot continue a live interpreter; every execution of this session runs cold`) };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
