import type { GuidanceReader } from "llm-wasm-sandbox";
import type { Logger } from "pino";

/** What the tools need to know about this server and the client calling them. */
export interface ToolContext {
  /** Languages offered, in the order list_runtimes shows them. */
  readonly languages: readonly string[];
  readonly maxTimeoutSeconds: number;
  /** The default wall-clock limit, for descriptions ("30 s"). */
  readonly defaultTimeout: string;
  /** Largest part of each output stream returned as text, characters. */
  readonly maxOutputChars: number;
  /** "after N minutes without use" (or "when the server restarts" when disabled). */
  readonly ephemeralTtlText: string;
  /** One sentence on how long sessions live, for descriptions. */
  readonly sessionTtlText: string;
  /** The calling client's identity (token, remote address, or "stdio"). */
  readonly clientKey: () => string;
  /** Who reads guidance here: a model on MCP, with this server's limits (the session's persistence is added per call). */
  readonly reader: GuidanceReader;
  readonly logger: Logger;
  /** How to call the host functions from code (`describeTools`), or "" without tools. */
  readonly toolsText?: string;
}
