/**
 * `@llm-wasm-sandbox/mcp-server`: the sandbox as MCP tools, over stdio or Streamable HTTP.
 * @packageDocumentation
 */
export { startServer } from "./start.js";
export { createMcpServer, SERVER_VERSION } from "./server.js";
export { SandboxService, type ServiceOptions } from "./service.js";
export { startHttpServer, type HttpServerOptions, type HttpServerHandle } from "./http-server.js";
export { CliOptionsSchema, type CliOptions, defaultStorageDir } from "./config.js";
export { ConcurrencyLimiter, RateLimiter } from "./limits.js";
export { Metrics } from "./metrics.js";
export { ToolInputError } from "./tool-input-error.js";
