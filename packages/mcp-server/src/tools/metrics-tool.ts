import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
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
      annotations: { readOnlyHint: true },
    },
    async () =>
      guarded(async () => {
        const data = service.metrics.snapshot(extra());
        return ok(JSON.stringify(data, null, 2), data);
      }),
  );
}
