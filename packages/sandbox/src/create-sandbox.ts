import { randomUUID } from "node:crypto";
import {
  assertMountLayout,
  canonicalSessionId,
  LogEvent,
  type ReadonlyMount,
  resolvePolicy,
  SandboxExecutionError,
  SessionExistsError,
  SessionNotFoundError,
} from "@llm-wasm-sandbox/core";
import { type CreateSandboxOptions, parseCreateOptions } from "./options.js";
import { resolveRuntime } from "./runtime-discovery.js";
import { Sandbox } from "./sandbox.js";
import { defaultHost } from "./sandbox-host.js";
import { resolveStorage } from "./sessions/index.js";
import { sandboxKeepAlive } from "./sessions/keep-alive.js";
import { mergeTools, parseTools } from "./tools/define-tools.js";

/**
 * Creates a sandbox: validates the options and policy, resolves the runtime
 * (importing its package on first use), then creates or resumes the session. The
 * sandbox runs on `options.host` (default: the process-wide host, created on first use).
 *
 * ```ts
 * const sandbox = await createSandbox({ runtime: "python" });
 * const result = await sandbox.execute('print("hi")');
 * ```
 * @throws PolicyValidationError, InvalidSessionIdError, RuntimeNotInstalledError, SessionNotFoundError
 */
export async function createSandbox(options: CreateSandboxOptions): Promise<Sandbox> {
  const opts = parseCreateOptions(options);
  const host = opts.host ?? defaultHost();
  if (host.closed) throw new SandboxExecutionError("this SandboxHost is closed — create a new one with createSandboxHost()");
  const sessionIdInput = opts.sessionId === undefined ? undefined : canonicalSessionId(opts.sessionId, { allowNonUuid: opts.allowNonUuid ?? true });
  const tools = mergeTools(host.tools, opts.tools ? parseTools(opts.tools) : undefined);
  const plugin = await resolveRuntime(opts.runtime, opts.registry ?? host.registry);
  const policy = resolvePolicy(plugin.defaults, opts.policy);
  const mounts = mountsFor(policy, opts.mounts);
  const logger = opts.logger ?? host.logger;
  const storage = opts.storage || opts.workspaceRoot ? resolveStorage({ storage: opts.storage, workspaceRoot: opts.workspaceRoot }) : host.storage;

  const now = new Date().toISOString();
  const sessionId = sessionIdInput ?? randomUUID();
  let autoPersistGlobals = opts.autoPersistGlobals ?? false;
  let existing = sessionIdInput ? await storage.getSession(sessionIdInput) : null;
  if (!existing) {
    if (sessionIdInput && !opts.createIfMissing) throw new SessionNotFoundError(sessionIdInput);
    try {
      await storage.createSession({
        sessionId,
        runtime: plugin.type,
        createdAt: now,
        updatedAt: now,
        autoPersistGlobals,
        sizeBytes: 0,
        fileCount: 0,
        executionCount: 0,
      });
      logger.info({ event: LogEvent.SESSION_CREATED, sessionId, runtime: plugin.type }, "session created");
    } catch (error) {
      // Another caller created it since we looked (two requests of one conversation at
      // once): createIfMissing means "this session, new or not", so resume theirs.
      existing = sessionIdInput && SessionExistsError.isInstance(error) ? await storage.getSession(sessionIdInput) : null;
      if (!existing) throw error;
    }
  }
  if (existing) {
    autoPersistGlobals = opts.autoPersistGlobals ?? existing.autoPersistGlobals;
    if (autoPersistGlobals !== existing.autoPersistGlobals) await storage.updateSession(existing.sessionId, { autoPersistGlobals });
    logger.info({ event: LogEvent.SESSION_RESUMED, sessionId, runtime: plugin.type }, "session resumed");
  }
  return new Sandbox({ sessionId, plugin, host, policy, storage, mounts, autoPersistGlobals, logger, tools, keepAlive: sandboxKeepAlive(opts.keepAlive) });
}

/** The caller's mounts plus the data mount, refused here when they cannot all be built (22.8). */
function mountsFor(policy: { mountDataDir?: string | undefined; guestDataPath: string }, extra: readonly ReadonlyMount[] = []): ReadonlyMount[] {
  const mounts = [...extra];
  if (policy.mountDataDir) mounts.push({ guestPath: policy.guestDataPath, hostPath: policy.mountDataDir });
  assertMountLayout(
    mounts.map((m, i) => ({ guestPath: m.guestPath, source: i < extra.length ? `mounts[${i}].guestPath` : "policy.guestDataPath" })),
    "createSandbox mounts",
  );
  return mounts;
}
