import { createHash } from "node:crypto";
import {
  createSandbox,
  deleteSessionPath,
  deleteSessionWorkspace,
  type ExecutionPolicyInput,
  getSessionInfo,
  installedRuntimes,
  listSessionFiles,
  readSessionFile,
  type ReadonlyMount,
  resolvePolicy,
  resolveRuntime,
  type Sandbox,
  type SandboxHost,
  type SandboxLogger,
  type SandboxResult,
  SessionNotFoundError,
  type StorageAdapter,
  type ToolSet,
  writeSessionFile,
} from "llm-wasm-sandbox";
import { canonicalWorkspacePath } from "@llm-wasm-sandbox/core";
import { Metrics } from "./metrics.js";
import { type MissingRuntime, unknownLanguage } from "./register-runtimes.js";
import { RunningExecutions } from "./running.js";
import type { SessionReaper } from "./session-reaper.js";
import { SessionSandboxes } from "./session-sandboxes.js";
import { ToolInputError } from "./tool-input-error.js";

/** Everything the tools need, fixed at server start. */
export interface ServiceOptions {
  /** The host every sandbox of the server runs on (worker pool, compiled images, snapshots); the server closes it on shutdown. */
  readonly host: SandboxHost;
  readonly storage: StorageAdapter;
  /** Server-wide policy (from --config, --fuel, --memory, --timeout). */
  readonly policy: ExecutionPolicyInput;
  /** Runtimes the server offers; null = every installed one. */
  readonly runtimes: readonly string[] | null;
  /** Built-in runtimes whose package is not installed, with how to add each (for list_runtimes and refusals). */
  readonly notInstalled?: readonly MissingRuntime[];
  readonly mounts: readonly ReadonlyMount[];
  /** Upper bound for the per-call `timeout` argument, seconds. */
  readonly maxTimeoutSeconds: number;
  /** Largest file `write_file`/`read_file` handle, bytes. */
  readonly maxFileBytes: number;
  /** Largest part of each output stream execute_code returns as text, characters (head + tail). */
  readonly maxOutputChars: number;
  /** Python vendor directory and package index for install_package. */
  readonly vendorDir?: string;
  readonly packageIndexUrl?: string;
  readonly logger: SandboxLogger;
  /** Host functions sandboxed code may call (`--tools-from`). */
  readonly tools?: ToolSet;
  /** Deletes idle sessions; without one sessions live until destroyed. */
  readonly reaper?: SessionReaper;
  /** Warm sessions (create_session keep_alive): the host's cap on live interpreters (0 refuses keep_alive) and their idle time. */
  readonly keepAlive?: { readonly maxSessions: number; readonly idleMs: number };
}

/** Who runs an execution and how to reach them while it runs. */
export interface ExecuteContext {
  /** The client's identity (authenticated token, else remote address; "stdio"). */
  readonly client: string;
  /** Aborts the run (the client cancelled the request). */
  readonly signal?: AbortSignal;
  /** Called when the run starts: "preparing" when it is the runtime's first run in this process (it compiles and caches the runtime), else "running". */
  readonly onPhase?: (phase: "preparing" | "running", language: string) => void;
  /** Called with output as the program writes it, while it runs. */
  readonly onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

/** A finished execution and what the reader of its guidance needs to know about the session. */
export interface ExecuteOutcome {
  readonly result: SandboxResult;
  /** The session keeps its state between runs. */
  readonly autoPersistGlobals: boolean;
}

/** What one file read returns: a byte range of the file and where the rest starts. */
export interface FileSlice {
  readonly data: Uint8Array;
  /** Size of the whole file, bytes. */
  readonly size: number;
  readonly offset: number;
  /** Offset of the first byte not returned, or null when the slice reaches the end. */
  readonly nextOffset: number | null;
}

const SITE_PACKAGES = "/data/site-packages";

/** The session an idempotency key names when no session id is given: `idem-` + 40 hex digits of its SHA-256. */
function idempotentSessionId(key: string): string {
  return `idem-${createHash("sha256").update(key, "utf8").digest("hex").slice(0, 40)}`;
}

/** The sandbox operations behind the MCP tools, shared by every client. */
export class SandboxService {
  readonly metrics = new Metrics();
  readonly running = new RunningExecutions();
  readonly #opts: ServiceOptions;
  /** Runtimes that have finished a run in this process (the first run of one compiles and caches it). */
  readonly #warm = new Set<string>();
  /** One Sandbox per session, reused by every call on it. */
  readonly #sandboxes = new SessionSandboxes();
  /** Sessions created with keep_alive: their sandboxes keep the interpreter alive between runs. */
  readonly #keepAlive = new Set<string>();

  constructor(options: ServiceOptions) {
    this.#opts = options;
    resolvePolicy(options.policy);
    options.reaper?.onDelete((sessionId) => this.#forget(sessionId));
  }

  get options(): ServiceOptions {
    return this.#opts;
  }

  /** Runtime names this server offers. */
  async runtimes(): Promise<string[]> {
    const installed = await installedRuntimes();
    return this.#opts.runtimes ? installed.filter((r) => this.#opts.runtimes!.includes(r)) : installed;
  }

  /** Installed runtimes with versions and effective default limits. */
  async describeRuntimes(): Promise<Array<Record<string, unknown>>> {
    const out = [];
    for (const type of await this.runtimes()) {
      const plugin = await resolveRuntime(type);
      const policy = resolvePolicy(plugin.defaults, this.#opts.policy);
      out.push({
        language: type,
        display_name: plugin.displayName,
        package: plugin.packageName,
        version: plugin.version,
        file_extension: plugin.fileExtension,
        defaults: {
          fuel_budget: policy.fuelBudget,
          memory_bytes: policy.memoryBytes,
          timeout_ms: policy.timeoutMs,
          max_timeout_seconds: this.#opts.maxTimeoutSeconds,
          stdout_max_bytes: policy.stdoutMaxBytes,
          stderr_max_bytes: policy.stderrMaxBytes,
        },
      });
    }
    return out;
  }

  /** Checks that a language is offered. @throws ToolInputError */
  async language(name: string): Promise<string> {
    const offered = await this.runtimes();
    if (!offered.includes(name)) throw new ToolInputError(unknownLanguage(name, offered, this.#opts.notInstalled));
    return name;
  }

  async createSession(
    language: string,
    sessionId?: string,
    autoPersistGlobals?: boolean,
    keepAlive = false,
  ): Promise<{ session_id: string; language: string; auto_persist_globals: boolean; keep_alive: boolean }> {
    const runtime = await this.language(language);
    if (keepAlive && !((this.#opts.keepAlive?.maxSessions ?? 0) > 0)) {
      throw new ToolInputError("this server keeps no interpreters alive between runs (started with --keep-alive-max 0); create the session without keep_alive");
    }
    const sb = await this.#createSandbox(runtime, {
      ...(sessionId ? { sessionId, createIfMissing: true } : {}),
      ...(autoPersistGlobals !== undefined ? { autoPersistGlobals } : {}),
      ...(keepAlive ? { keepAlive: true } : {}),
    });
    if (keepAlive) this.#keepAlive.add(sb.sessionId);
    else this.#keepAlive.delete(sb.sessionId);
    return { session_id: sb.sessionId, language: runtime, auto_persist_globals: sb.autoPersistGlobals, keep_alive: sb.keepAlive };
  }

  /** True when `sessionId` was created by the server for a sessionless call (deleted soon after its last use). */
  isEphemeral(sessionId: string): boolean {
    return this.#opts.reaper?.isEphemeral(sessionId) ?? false;
  }

  /**
   * Runs code. Without a session id a new, ephemeral session is created (its id is in the
   * result, so the next call can continue in it while it lives).
   */
  async execute(input: { code: string; language: string; session_id?: string; timeout?: number; idempotency_key?: string }, ctx: ExecuteContext): Promise<ExecuteOutcome> {
    const runtime = await this.language(input.language);
    // Without a session id, an idempotency key names a session of its own, so a retry finds the first run.
    const keyed = input.idempotency_key !== undefined && input.session_id === undefined ? idempotentSessionId(input.idempotency_key) : undefined;
    if (input.timeout !== undefined && input.timeout > this.#opts.maxTimeoutSeconds) {
      throw new ToolInputError(`timeout ${input.timeout} s is over this server's maximum of ${this.#opts.maxTimeoutSeconds} s`);
    }
    const controller = new AbortController();
    const abort = () => controller.abort(ctx.signal?.reason ?? new Error("cancelled by the client"));
    if (ctx.signal?.aborted) abort();
    ctx.signal?.addEventListener("abort", abort, { once: true });
    const running = this.running.add(ctx.client, input.session_id ?? null, controller);
    const done = this.metrics.begin();
    let result: SandboxResult | null = null;
    let autoPersistGlobals = false;
    try {
      ctx.onPhase?.(this.#warm.has(runtime) ? "running" : "preparing", runtime);
      const sessionId = input.session_id ?? keyed;
      const sb =
        (sessionId && this.#sandboxes.get(sessionId, runtime)) ||
        (await this.#createSandbox(
          runtime,
          input.session_id ? { sessionId: input.session_id, ...(this.#keepAlive.has(input.session_id) ? { keepAlive: true } : {}) } : keyed ? { sessionId: keyed, createIfMissing: true } : {},
        ));
      running.setSession(sb.sessionId);
      autoPersistGlobals = sb.autoPersistGlobals;
      if (input.session_id) this.#opts.reaper?.touch(sb.sessionId);
      else this.#opts.reaper?.touchEphemeral(sb.sessionId);
      result = await sb.execute(input.code, {
        signal: controller.signal,
        ...(input.timeout !== undefined ? { policy: { timeoutMs: Math.round(input.timeout * 1000) } } : {}),
        ...(ctx.onOutput ? { onStdout: (text: string) => ctx.onOutput!("stdout", text), onStderr: (text: string) => ctx.onOutput!("stderr", text) } : {}),
        ...(input.idempotency_key ? { idempotencyKey: input.idempotency_key } : {}),
      });
      this.#warm.add(runtime);
      return { result, autoPersistGlobals };
    } finally {
      running.done();
      // Idle time counts from the end of the run, not its start.
      if (result) this.#opts.reaper?.touch(result.sessionId);
      ctx.signal?.removeEventListener("abort", abort);
      done(runtime, result);
    }
  }

  /** Stops `client`'s running executions (in one session, when given); returns how many. */
  cancel(client: string, sessionId?: string): number {
    return this.running.cancel(client, sessionId, "cancelled with cancel_execution");
  }

  async destroySession(sessionId: string): Promise<boolean> {
    const deleted = await deleteSessionWorkspace(sessionId, { storage: this.#opts.storage });
    this.#opts.reaper?.forget(sessionId);
    this.#forget(sessionId);
    return deleted;
  }

  async workspaceInfo(sessionId: string): Promise<Record<string, unknown>> {
    const info = await getSessionInfo(sessionId, { storage: this.#opts.storage });
    const files = await listSessionFiles(sessionId, { storage: this.#opts.storage });
    return { ...info, files: files.map((f) => ({ path: f.path, type: f.type, size: f.size })) };
  }

  /** Deletes every file of the session, keeping the session (and its settings). */
  async resetWorkspace(sessionId: string): Promise<number> {
    await this.#requireSession(sessionId);
    const top = new Set((await listSessionFiles(sessionId, { storage: this.#opts.storage, includeInternal: true })).map((f) => f.path.split("/")[0]!));
    for (const path of top) await deleteSessionPath(sessionId, path, { storage: this.#opts.storage });
    return top.size;
  }

  /**
   * Reads `length` bytes of a file from `offset`. The size is checked against the
   * listing before a byte is read, so an oversize file is refused without loading it.
   */
  async readFile(sessionId: string, path: string, offset: number, length: number): Promise<FileSlice> {
    const rel = canonicalWorkspacePath(path);
    const entry = (await listSessionFiles(sessionId, { storage: this.#opts.storage, includeInternal: true })).find((f) => f.path === rel);
    if (entry?.type === "directory") throw new ToolInputError(`/app/${rel} is a directory; use list_files`);
    if (entry && entry.size > this.#opts.maxFileBytes) {
      throw new ToolInputError(`/app/${rel} is ${entry.size} bytes, over the ${this.#opts.maxFileBytes}-byte limit of read_file; process it with execute_code instead`);
    }
    const data = await readSessionFile(sessionId, path, { storage: this.#opts.storage });
    if (data.byteLength > this.#opts.maxFileBytes) throw new ToolInputError(`/app/${rel} is ${data.byteLength} bytes, over the ${this.#opts.maxFileBytes}-byte limit of read_file`);
    const start = Math.min(offset, data.byteLength);
    const end = Math.min(data.byteLength, start + length);
    return { data: data.subarray(start, end), size: data.byteLength, offset: start, nextOffset: end < data.byteLength ? end : null };
  }

  async writeFile(sessionId: string, path: string, data: Uint8Array): Promise<void> {
    if (data.byteLength > this.#opts.maxFileBytes) throw new ToolInputError(`content is ${data.byteLength} bytes, over the ${this.#opts.maxFileBytes}-byte limit of write_file`);
    await this.#requireSession(sessionId);
    await writeSessionFile(sessionId, path, data, { storage: this.#opts.storage });
  }

  async listFiles(sessionId: string, prefix?: string): Promise<Array<{ path: string; type: string; size: number }>> {
    const files = await listSessionFiles(sessionId, { storage: this.#opts.storage });
    const norm = prefix?.replace(/^\/app\/?/, "").replace(/^\.?\/+/, "").replace(/\/+$/, "") ?? "";
    return files.filter((f) => !norm || f.path === norm || f.path.startsWith(`${norm}/`)).map((f) => ({ path: f.path, type: f.type, size: f.size }));
  }

  /** Cancels every running execution (graceful shutdown after the grace period). */
  cancelAll(): void {
    this.running.cancelAll("server shutting down");
  }

  /** The session is gone: its sandbox (and live interpreter, if kept) too. */
  #forget(sessionId: string): void {
    this.#keepAlive.delete(sessionId);
    this.#sandboxes.forget(sessionId);
  }

  /** Creates a sandbox on the server's host (a new session unless `sessionId` is given) and keeps it for the session's next calls. */
  async #createSandbox(runtime: string, session: { sessionId?: string; createIfMissing?: boolean; autoPersistGlobals?: boolean; keepAlive?: boolean }): Promise<Sandbox> {
    const sb = await createSandbox({
      runtime,
      host: this.#opts.host,
      storage: this.#opts.storage,
      policy: this.#opts.policy,
      logger: this.#opts.logger,
      mounts: this.#mountsFor(runtime),
      ...(this.#opts.tools ? { tools: this.#opts.tools } : {}),
      ...session,
    });
    this.#sandboxes.set(sb);
    return sb;
  }

  /** Python sees the server's vendor directory (install_package) at /data/site-packages. */
  #mountsFor(runtime: string): readonly ReadonlyMount[] {
    if (runtime !== "python" || !this.#opts.vendorDir) return this.#opts.mounts;
    return [...this.#opts.mounts, { guestPath: SITE_PACKAGES, hostPath: this.#opts.vendorDir }];
  }

  async #requireSession(sessionId: string): Promise<void> {
    if (!(await this.#opts.storage.getSession(sessionId))) throw new SessionNotFoundError(sessionId);
  }
}
