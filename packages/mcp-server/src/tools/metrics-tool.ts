import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { SandboxService } from "../service.js";
import { guarded, ok } from "./result-format.js";

/** get_metrics: what this server has done so far. */
export function registerMetricsTool(server: McpServer, service: SandboxService, extra: () => Record<string, unknown>): void {
  server.registerTool(
    "get_metrics",
    {
      title: "Server metrics",
      description: "Executions per language, failures, traps, average duration, fuel used, in-flight work and the server's memory.",
      inputSchema: {},
      // Loose: the transport adds fields of its own (transport, clientSessions).
      outputSchema: z.looseObject({
        uptimeSeconds: z.number(),
        executions: z.number().describe("Executions since the server started."),
        inFlight: z.number().describe("Executions running now."),
        peakInFlight: z.number(),
        rejectedRequests: z.number().describe("Requests refused by a rate, concurrency or size limit."),
        runtimes: z.record(z.string(), z.unknown()).describe("Per language: executions, failures, traps by reason, avgDurationMs, totalFuel."),
        memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }).describe("The server process's memory, bytes."),
        transport: z.string().optional().describe("stdio or http."),
        clientSessions: z.number().optional().describe("Open MCP sessions (HTTP)."),
      }),
      annotations: { readOnlyHint: true },
    },
    async () =>
      guarded(async () => {
        const data = service.metrics.snapshot(extra());
        const text = `${String(data.executions)} executions (${String(data.inFlight)} running), ${String(data.rejectedRequests)} requests refused by limits, up ${String(data.uptimeSeconds)} s, RSS ${Math.round((data.memory as { rssBytes: number }).rssBytes / 1048576)} MiB`;
        return ok(text, data);
      }),
  );
}
