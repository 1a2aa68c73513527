import { mkdir } from "node:fs/promises";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { closeAllEngines } from "llm-wasm-sandbox";
import { type CliOptions, MiB, mountsFrom, policyFrom, storageFrom } from "./config.js";
import { startHttpServer } from "./http-server.js";
import { ConcurrencyLimiter } from "./limits.js";
import { createLogger } from "./logger.js";
import { registerInstalledRuntimes } from "./register-runtimes.js";
import { createMcpServer } from "./server.js";
import { SandboxService } from "./service.js";

/** Starts `llm-wasm-mcp` with validated options; resolves once it is serving. */
export async function startServer(opts: CliOptions): Promise<{ close(): Promise<void> }> {
  const logger = createLogger(opts.logLevel);
  await registerInstalledRuntimes(opts.runtimes ?? null);
  const storage = await storageFrom(opts);
  if (opts.vendorDir) await mkdir(opts.vendorDir, { recursive: true });
  const service = new SandboxService({
    storage,
    policy: await policyFrom(opts),
    runtimes: opts.runtimes ?? null,
    mounts: await mountsFrom(opts),
    maxTimeoutSeconds: opts.maxTimeout,
    maxFileBytes: Math.round(opts.maxRequestMb * MiB),
    ...(opts.vendorDir ? { vendorDir: opts.vendorDir } : {}),
    ...(opts.packageIndex ? { packageIndexUrl: opts.packageIndex } : {}),
    logger,
  });
  const offered = await service.runtimes();
  if (offered.length === 0) throw new Error("no runtime is installed (or none of --runtimes is): install @llm-wasm-sandbox/runtime-python or another runtime");

  let closeTransport: (graceMs: number) => Promise<void>;
  if (opts.transport === "http") {
    const http = await startHttpServer(
      service,
      {
        host: opts.host,
        port: opts.port,
        ...(opts.authToken ? { authToken: opts.authToken } : {}),
        corsOrigins: opts.corsOrigins,
        maxRequestBytes: Math.round(opts.maxRequestMb * MiB),
        rateLimitPerMinute: opts.rateLimit,
        maxConcurrentPerClient: opts.maxConcurrent,
        idleTimeoutMs: opts.idleTimeoutMinutes * 60_000,
      },
      logger,
    );
    logger.info({ event: "mcp.listen", url: http.url, runtimes: offered, auth: Boolean(opts.authToken) }, "listening");
    // Whatever the log level, say where to connect (stderr: never mixed with protocol output).
    process.stderr.write(`llm-wasm-mcp: listening on ${http.url}\n`);
    closeTransport = (grace) => http.close(grace);
  } else {
    const limiter = new ConcurrencyLimiter(opts.maxConcurrent, () => service.metrics.rejected());
    const server = createMcpServer(service, limiter, { key: () => "stdio", metricsExtra: () => ({ transport: "stdio" }) });
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
      await storage.close();
      await closeAllEngines();
      logger.info({ event: "mcp.stopped" }, "stopped");
    },
  };
}
