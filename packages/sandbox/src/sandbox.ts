import {
  type ExecutionPolicy,
  type ExecutionRequest,
  LogEvent,
  planCommit,
  type ReadonlyMount,
  resolvePolicy,
  type RuntimeEngine,
  type RuntimePlugin,
  type SandboxLogger,
  type SandboxResult,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { buildResult } from "./build-result.js";
import { type ExecuteOptions, parseExecuteInput } from "./options.js";
import { sessionQuotaOf, withSessionRun } from "./sessions/index.js";

/** What a Sandbox is made of; built by `createSandbox`. */
export interface SandboxParts {
  readonly sessionId: string;
  readonly plugin: RuntimePlugin;
  readonly engine: RuntimeEngine;
  readonly policy: ExecutionPolicy;
  readonly storage: StorageAdapter;
  readonly mounts: readonly ReadonlyMount[];
  readonly autoPersistGlobals: boolean;
  readonly logger: SandboxLogger;
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

  constructor(parts: SandboxParts) {
    this.#parts = parts;
    this.sessionId = parts.sessionId;
    this.runtime = parts.plugin.type;
    this.policy = parts.policy;
    this.autoPersistGlobals = parts.autoPersistGlobals;
    this.storage = parts.storage;
  }

  /** Version string of the language, e.g. "CPython 3.12.0". */
  get languageVersion(): string {
    return this.#parts.engine.languageVersion;
  }

  /**
   * Runs `code`. Guest failures (errors, traps, limits) come back as a result with
   * `success: false`; only host-side problems throw.
   * @throws PolicyValidationError for bad input; StorageConflictError when another
   *   host changed the session concurrently; StorageQuotaError when the run would
   *   grow the session past `maxSessionBytes`/`maxSessionFiles` (nothing is committed).
   */
  async execute(code: string, options?: ExecuteOptions): Promise<SandboxResult> {
    const input = parseExecuteInput(code, options);
    const { engine, plugin, storage, logger, sessionId } = this.#parts;
    const policy = input.options.policy ? resolvePolicy(this.policy, input.options.policy) : this.policy;
    const { value: result } = await withSessionRun(
      storage,
      sessionId,
      async (start) => {
        const request: ExecutionRequest = {
          code: input.code,
          policy,
          sessionId,
          workspace: { entries: start.entries, read: start.read },
          mounts: this.#parts.mounts,
          autoPersistGlobals: this.autoPersistGlobals,
          logger,
          ...(input.options.args ? { args: input.options.args } : {}),
          ...(input.options.signal ? { signal: input.options.signal } : {}),
        };
        logger.info({ event: LogEvent.EXECUTION_START, sessionId, runtime: plugin.type, codeBytes: input.code.length }, "execution start");
        const raw = await engine.execute(request);
        const interpretation = engine.interpret(raw, request);
        const plan = planCommit(start.entries, raw.journal);
        return { plan, value: buildResult({ raw, interpretation, commit: plan, policy, sessionId, runtime: plugin.type }) };
      },
      { quota: sessionQuotaOf(policy) },
    );
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
        ...(policy.preserveLogs ? { stdout: result.stdout, stderr: result.stderr } : {}),
      },
      "execution complete",
    );
    return result;
  }

  /** Nothing to release per sandbox today (engines are shared per process); kept for `await using`. */
  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
