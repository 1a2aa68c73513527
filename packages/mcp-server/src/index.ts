/**
 * `@llm-wasm-sandbox/mcp-server`: the sandbox as MCP tools, over stdio or Streamable HTTP.
 * @packageDocumentation
 */
export { startServer } from "./start.js";
export { createMcpServer, SERVER_VERSION, type McpServerParts } from "./server.js";
export { SandboxService, type ServiceOptions, type ExecuteContext, type ExecuteOutcome, type FileSlice } from "./service.js";
export { startHttpServer, type HttpServerOptions, type HttpServerHandle } from "./http-server.js";
export { CliOptionsSchema, type CliOptions, defaultStorageDir } from "./config.js";
export { ExecutionGate, RateLimiter } from "./limits.js";
export { ExecutionLimitError, type GateRefusal } from "./execution-limit-error.js";
export { SessionReaper, type SessionLifetimes } from "./session-reaper.js";
export { STREAM_META_KEY, type StreamReport } from "./output/execution-result.js";
export type { ToolContext } from "./tools/tool-context.js";
export { Metrics } from "./metrics.js";
export { ToolInputError } from "./tool-input-error.js";
