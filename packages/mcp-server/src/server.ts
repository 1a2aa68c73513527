import { createRequire } from "node:module";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ExecutionGate } from "./limits.js";
import type { SandboxService } from "./service.js";
import { registerExecutionTools } from "./tools/execution-tools.js";
import { registerFileTools } from "./tools/file-tools.js";
import { registerMetricsTool } from "./tools/metrics-tool.js";
import { registerPackageTools } from "./tools/package-tools.js";
import { registerSessionTools } from "./tools/session-tools.js";
import type { ToolContext } from "./tools/tool-context.js";

const pkg = createRequire(import.meta.url)("../package.json") as { version: string };

/** Package version of the MCP server. */
export const SERVER_VERSION = pkg.version;

const INSTRUCTIONS =
  "Runs code in isolated WebAssembly sandboxes. Use execute_code; files live in /app per session " +
  "(pass the returned session_id to continue), /external is read-only host data. Move data with write_file/read_file. " +
  "Each run is limited in fuel (instructions), memory, time and output; results explain any limit hit and what to do.";

/** What one MCP server (one per client connection) is built from. */
export interface McpServerParts extends ToolContext {
  /** Extra fields get_metrics reports (transport, client sessions). */
  readonly metricsExtra: () => Record<string, unknown>;
}

/** One MCP server (one per client connection) over the shared sandbox service. */
export function createMcpServer(service: SandboxService, gate: ExecutionGate, parts: McpServerParts): McpServer {
  const server = new McpServer({ name: "llm-wasm-sandbox", version: SERVER_VERSION }, { instructions: INSTRUCTIONS, capabilities: { logging: {} } });
  registerExecutionTools(server, service, gate, parts);
  registerSessionTools(server, service, parts);
  registerFileTools(server, service);
  if (parts.languages.includes("python")) registerPackageTools(server, service);
  registerMetricsTool(server, service, parts.metricsExtra);
  return server;
}
