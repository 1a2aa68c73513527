import { mkdir } from "node:fs/promises";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createSandboxHost, describeTools, TOOL_LANGUAGES, type ToolLanguage } from "llm-wasm-sandbox";
import type { Logger } from "pino";
import { type CliOptions, MiB, mountsFrom, policyFrom, prewarmedRuntimes, storageFrom } from "./config.js";
import { startHttpServer } from "./http-server.js";
import { ExecutionGate } from "./limits.js";
import { createLogger } from "./logger.js";
import { registerInstalledRuntimes } from "./register-runtimes.js";
import { createMcpServer } from "./server.js";
import { SandboxService } from "./service.js";
import { SessionReaper } from "./session-reaper.js";
import type { ToolContext } from "./tools/tool-context.js";
import { connectUpstreamTools, type UpstreamTools } from "./upstream-tools.js";

/** Open MCP sessions one HTTP client may hold. */
const MAX_SESSIONS_PER_CLIENT = 64;
/** How often idle sessions are looked for, at most: half the shortest lifetime, within [1 s, 5 min]. */
const MAX_SWEEP_INTERVAL_MS = 5 * 60_000;

/** Starts `llm-wasm-mcp` with validated options; resolves once it is serving. */
export async function startServer(opts: CliOptions): Promise<{ close(): Promise<void> }> {
  const logger = createLogger(opts.logLevel);
  const notInstalled = await registerInstalledRuntimes(opts.runtimes ?? null);
  const storage = await storageFrom(opts);
  if (opts.vendorDir) await mkdir(opts.vendorDir, { recursive: true });
  const reaper = new SessionReaper(storage, { sessionTtlMs: opts.sessionTtlHours * 3_600_000, ephemeralTtlMs: opts.ephemeralSessionTtlMinutes * 60_000 }, logger);
  const policy = await policyFrom(opts);
  const upstream: UpstreamTools | null =
    opts.toolsFrom.length > 0 ? await connectUpstreamTools({ from: opts.toolsFrom, allow: opts.toolsAllow, allowWrites: opts.toolsAllowWrites, logger }) : null;
  // One host for the server's lifetime: its worker pool, compiled runtimes and snapshots
  // serve every session, and closing it on shutdown frees them all. A server answers one
  // request after another, so its threads keep instances ready (pre-warmed) by default.
  const keepAlive = { maxSessions: opts.keepAliveMax, idleMs: Math.round(opts.keepAliveIdleMinutes * 60_000) };
  const host = createSandboxHost({ storage, logger, prewarm: prewarmedRuntimes(opts, notInstalled), ...(keepAlive.maxSessions > 0 ? { keepAlive } : {}) });
  const service = new SandboxService({
    host,
    keepAlive,
    ...(upstream ? { tools: upstream.tools } : {}),
    storage,
    policy,
    runtimes: opts.runtimes ?? null,
    notInstalled,
    mounts: await mountsFrom(opts),
    maxTimeoutSeconds: opts.maxTimeout,
    maxFileBytes: Math.round(opts.maxRequestMb * MiB),
    maxOutputChars: opts.maxOutputChars,
    ...(opts.vendorDir ? { vendorDir: opts.vendorDir } : {}),
    ...(opts.packageIndex ? { packageIndexUrl: opts.packageIndex } : {}),
    logger,
    reaper,
  });
  const offered = await service.runtimes();
  if (offered.length === 0) throw new Error("no runtime is installed (or none of --runtimes is): install @llm-wasm-sandbox/runtime-python or another runtime");
  const lifetimes = [opts.sessionTtlHours * 3_600_000, opts.ephemeralSessionTtlMinutes * 60_000].filter((ms) => ms > 0);
  reaper.start(Math.max(1000, Math.min(MAX_SWEEP_INTERVAL_MS, ...lifetimes.map((ms) => ms / 2))), (id) => service.running.busy(id));
  void reaper.sweep();

  const gate = new ExecutionGate({ perClient: opts.maxConcurrent, total: opts.maxPending }, () => service.metrics.rejected());
  const timeouts = new Set((await service.describeRuntimes()).map((r) => (r.defaults as { timeout_ms: number }).timeout_ms));
  const tools = {
    ...toolContext(opts, offered, timeouts.size === 1 ? `${[...timeouts][0]! / 1000} s` : "depends on the language, see list_runtimes", logger),
    ...(upstream ? { toolsText: describeTools(upstream.tools, offered.filter((l): l is ToolLanguage => (TOOL_LANGUAGES as readonly string[]).includes(l))) } : {}),
  };
  let closeTransport: (graceMs: number) => Promise<void>;
  if (opts.transport === "http") {
    const http = await startHttpServer(
      service,
      gate,
      tools,
      {
        host: opts.host,
        port: opts.port,
        authTokens: opts.authTokens,
        allowedHosts: opts.allowedHosts,
        corsOrigins: opts.corsOrigins,
        maxRequestBytes: Math.round(opts.maxRequestMb * MiB),
        rateLimitPerMinute: opts.rateLimit,
        maxSessionsPerClient: MAX_SESSIONS_PER_CLIENT,
        idleTimeoutMs: opts.idleTimeoutMinutes * 60_000,
      },
      logger,
    );
    logger.info({ event: "mcp.listen", url: http.url, runtimes: offered, auth: opts.authTokens.length > 0 }, "listening");
    // Whatever the log level, say where to connect (stderr: never mixed with protocol output).
    process.stderr.write(`llm-wasm-mcp: listening on ${http.url}\n`);
    closeTransport = (grace) => http.close(grace);
  } else {
    const server = createMcpServer(service, gate, { ...tools, clientKey: () => "stdio", metricsExtra: () => ({ transport: "stdio" }) });
    await server.connect(new StdioServerTransport());
    logger.info({ event: "mcp.listen", transport: "stdio", runtimes: offered }, "serving MCP on stdio");
    closeTransport = async (grace) => {
      const deadline = Date.now() + grace;
      while (service.metrics.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      service.cancelAll();
      await server.close();
    };
  }

  return {
    async close() {
      await closeTransport(10_000);
      await reaper.stop();
      await upstream?.close();
      await host.close();
      await storage.close();
      logger.info({ event: "mcp.stopped" }, "stopped");
    },
  };
}

function toolContext(opts: CliOptions, languages: readonly string[], defaultTimeout: string, logger: Logger): Omit<ToolContext, "clientKey"> {
  const hours = opts.sessionTtlHours;
  const minutes = opts.ephemeralSessionTtlMinutes;
  return {
    languages,
    maxTimeoutSeconds: opts.maxTimeout,
    defaultTimeout,
    maxOutputChars: opts.maxOutputChars,
    ephemeralTtlText: minutes > 0 ? `after ${minutes} minutes without use` : hours > 0 ? `after ${hours} hours without use` : "only when destroyed",
    sessionTtlText: hours > 0 ? `Sessions not used for ${hours} hours are deleted with their files.` : "Sessions live until destroy_session deletes them.",
    reader: { channel: "mcp", maxTimeoutMs: opts.maxTimeout * 1000, canInstallPackages: languages.includes("python") },
    logger,
  };
}

