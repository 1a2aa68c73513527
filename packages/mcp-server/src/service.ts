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
  type SandboxLogger,
  type SandboxResult,
  SessionNotFoundError,
  type StorageAdapter,
  writeSessionFile,
} from "llm-wasm-sandbox";
import { Metrics } from "./metrics.js";
import { ToolInputError } from "./tool-input-error.js";

/** Everything the tools need, fixed at server start. */
export interface ServiceOptions {
  readonly storage: StorageAdapter;
  /** Server-wide policy (from --config, --fuel, --memory, --timeout). */
  readonly policy: ExecutionPolicyInput;
  /** Runtimes the server offers; null = every installed one. */
  readonly runtimes: readonly string[] | null;
  readonly mounts: readonly ReadonlyMount[];
  /** Upper bound for the per-call `timeout` argument, seconds. */
  readonly maxTimeoutSeconds: number;
  /** Largest file `write_file`/`read_file` handle, bytes. */
  readonly maxFileBytes: number;
  /** Python vendor directory and package index for install_package. */
  readonly vendorDir?: string;
  readonly packageIndexUrl?: string;
  readonly logger: SandboxLogger;
}

const SITE_PACKAGES = "/data/site-packages";
const ALIASES: Record<string, string> = { py: "python", python3: "python", js: "javascript", node: "javascript", nodejs: "javascript", rb: "ruby" };

/** The sandbox operations behind the MCP tools, shared by every client. */
export class SandboxService {
  readonly metrics = new Metrics();
  readonly #opts: ServiceOptions;
  readonly #inFlight = new Set<AbortController>();

  constructor(options: ServiceOptions) {
    this.#opts = options;
    resolvePolicy(options.policy);
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
        defaults: { fuel_budget: policy.fuelBudget, memory_bytes: policy.memoryBytes, timeout_ms: policy.timeoutMs, stdout_max_bytes: policy.stdoutMaxBytes },
      });
    }
    return out;
  }

  /** Maps a language name (or alias) to an offered runtime. @throws ToolInputError */
  async language(name: string): Promise<string> {
    const lang = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
    const offered = await this.runtimes();
    if (!offered.includes(lang)) throw new ToolInputError(`unknown language "${name}"; this server offers: ${offered.join(", ") || "none"}`);
    return lang;
  }

  async createSession(language: string, sessionId?: string, autoPersistGlobals?: boolean): Promise<{ session_id: string; language: string; auto_persist_globals: boolean }> {
    const runtime = await this.language(language);
    const sb = await createSandbox({
      runtime,
      storage: this.#opts.storage,
      policy: this.#opts.policy,
      logger: this.#opts.logger,
      ...(sessionId ? { sessionId, createIfMissing: true } : {}),
      ...(autoPersistGlobals !== undefined ? { autoPersistGlobals } : {}),
    });
    return { session_id: sb.sessionId, language: runtime, auto_persist_globals: sb.autoPersistGlobals };
  }

  /**
   * Runs code. Without a session id a new session is created (its id is in the result,
   * so the next call can continue in it).
   */
  async execute(input: { code: string; language: string; session_id?: string; timeout?: number }): Promise<SandboxResult> {
    const runtime = await this.language(input.language);
    const policy: ExecutionPolicyInput = { ...this.#opts.policy };
    if (input.timeout !== undefined) policy.timeoutMs = Math.round(Math.min(input.timeout, this.#opts.maxTimeoutSeconds) * 1000);
    const sb = await createSandbox({
      runtime,
      storage: this.#opts.storage,
      policy,
      logger: this.#opts.logger,
      mounts: this.#mountsFor(runtime),
      ...(input.session_id ? { sessionId: input.session_id } : {}),
    });
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const done = this.metrics.begin();
    let result: SandboxResult | null = null;
    try {
      result = await sb.execute(input.code, { signal: controller.signal });
      return result;
    } finally {
      done(runtime, result);
      this.#inFlight.delete(controller);
    }
  }

  async destroySession(sessionId: string): Promise<boolean> {
    return deleteSessionWorkspace(sessionId, { storage: this.#opts.storage });
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

  async readFile(sessionId: string, path: string): Promise<Uint8Array> {
    const data = await readSessionFile(sessionId, path, { storage: this.#opts.storage });
    if (data.byteLength > this.#opts.maxFileBytes) throw new ToolInputError(`file is ${data.byteLength} bytes, over the ${this.#opts.maxFileBytes}-byte limit of read_file`);
    return data;
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
    for (const c of this.#inFlight) c.abort(new Error("server shutting down"));
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
