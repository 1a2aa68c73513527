import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorMessageFor, SandboxError } from "llm-wasm-sandbox";

/** A successful tool result: a short text for the model plus the data as structuredContent. */
export function ok(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/** A tool error the model can act on; the server keeps serving. */
export function fail(e: unknown): CallToolResult {
  const message = SandboxError.isInstance(e) ? (errorMessageFor(e, "mcp") ?? e.message.replace(/^\[llm-wasm-sandbox\] /, "")) : `internal error: ${(e as Error)?.message ?? String(e)}`;
  return { content: [{ type: "text", text: `Error: ${message}` }], isError: true };
}

/** Runs a tool body, turning thrown errors into error results. */
export async function guarded(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    return fail(e);
  }
}
