import pino, { type Logger } from "pino";

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A pino logger writing to stderr (fd 2) only: on the stdio transport stdout carries
 * the MCP protocol, so nothing else may ever be written there.
 */
export function createLogger(level: LogLevel = "info"): Logger {
  return pino({ level, base: { service: "llm-wasm-mcp" } }, pino.destination({ fd: 2, sync: true }));
}
