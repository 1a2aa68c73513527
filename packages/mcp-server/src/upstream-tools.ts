/**
 * MCP code mode: `--tools-from <command or URL>` connects to upstream MCP servers as a
 * client and offers their tools inside the sandbox as host functions, so one
 * `execute_code` can call many tools from a program.
 *
 * What crosses is decided by the operator, deny by default: only tools an upstream marks
 * `readOnlyHint: true` are offered unless `--tools-allow-writes` is given, and
 * `--tools-allow` narrows them to names listed; each run may make at most
 * `--tools-max-calls` calls (policy `maxToolCalls`). An upstream tool's name becomes a
 * valid identifier in every language (`get-weather` → `get_weather`).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { type ToolDefinition, toolIdentifier, type ToolSet, zodFromJsonSchema } from "llm-wasm-sandbox";
import type { Logger } from "pino";

/** How upstream tools are chosen. */
export interface UpstreamToolsOptions {
  /** Upstream servers: a command line (spawned, spoken to over stdio) or an http(s) URL (Streamable HTTP). */
  readonly from: readonly string[];
  /** Upstream tool names to offer (before renaming); empty = every eligible one. */
  readonly allow: readonly string[];
  /** Offer tools that are not marked `readOnlyHint: true`. */
  readonly allowWrites: boolean;
  readonly logger: Logger;
}

/** Connected upstreams and the tools they offer. */
export interface UpstreamTools {
  readonly tools: ToolSet;
  /** Closes every upstream connection (and stops spawned servers). */
  close(): Promise<void>;
}

/** Most characters of an upstream tool's description passed on. */
const MAX_DESCRIPTION = 2000;

/**
 * Connects to every upstream and builds the tool set.
 * @throws Error naming the upstream that could not be reached, an allow-listed tool that
 *   does not exist or is not read-only (without `allowWrites`), or two tools whose names
 *   collide once made identifiers.
 */
export async function connectUpstreamTools(options: UpstreamToolsOptions): Promise<UpstreamTools> {
  const clients: Client[] = [];
  const close = async () => void (await Promise.allSettled(clients.map((c) => c.close())));
  try {
    const tools: Record<string, ToolDefinition> = {};
    const origin = new Map<string, string>();
    const seen = new Set<string>();
    for (const spec of options.from) {
      const client = new Client({ name: "llm-wasm-mcp", version: "1" });
      try {
        await client.connect(transportFor(spec));
      } catch (error) {
        throw new Error(`--tools-from ${spec}: could not connect (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
      clients.push(client);
      for (const tool of await listAll(client)) {
        seen.add(tool.name);
        if (options.allow.length > 0 && !options.allow.includes(tool.name)) continue;
        if (tool.annotations?.readOnlyHint !== true && !options.allowWrites) {
          if (options.allow.includes(tool.name)) throw new Error(`--tools-allow ${tool.name}: the upstream does not mark it read-only (readOnlyHint); pass --tools-allow-writes to offer it anyway`);
          options.logger.info({ event: "mcp.upstream.skipped", tool: tool.name, upstream: spec }, "upstream tool not read-only: not offered");
          continue;
        }
        const name = toolIdentifier(tool.name);
        const clash = origin.get(name);
        if (clash !== undefined) throw new Error(`upstream tools "${clash}" and "${tool.name}" both become "${name}" in the sandbox; leave one out with --tools-allow`);
        origin.set(name, tool.name);
        tools[name] = toolFor(client, tool);
      }
    }
    const missing = options.allow.filter((n) => !seen.has(n));
    if (missing.length > 0) throw new Error(`--tools-allow names tools no upstream offers: ${missing.join(", ")}`);
    options.logger.info({ event: "mcp.upstream.tools", tools: [...origin.entries()].map(([k, v]) => (k === v ? k : `${v} as ${k}`)) }, "upstream tools offered to sandboxed code");
    return { tools, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One upstream tool as a host function: arguments passed through, the result as JSON data. */
function toolFor(client: Client, tool: Tool): ToolDefinition {
  const description = (tool.description ?? tool.title ?? tool.name).slice(0, MAX_DESCRIPTION);
  return {
    description,
    input: zodFromJsonSchema(tool.inputSchema),
    async handler(args, ctx) {
      const result = await client.callTool({ name: tool.name, arguments: args as Record<string, unknown> }, undefined, { signal: ctx.signal });
      const text = Array.isArray(result.content)
        ? result.content
            .filter((c): c is { type: "text"; text: string } => typeof c === "object" && c !== null && (c as { type?: unknown }).type === "text")
            .map((c) => c.text)
            .join("\n")
        : "";
      if (result.isError === true) throw new Error(text || `${tool.name} failed`);
      if (result.structuredContent !== undefined) return result.structuredContent;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
  };
}

async function listAll(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && tools.length < 10_000);
  return tools;
}

function transportFor(spec: string) {
  if (/^https?:\/\//.test(spec)) return new StreamableHTTPClientTransport(new URL(spec));
  const [command, ...args] = splitCommand(spec);
  if (command === undefined) throw new Error("--tools-from needs a command or a URL");
  // The operator's command gets the operator's environment (API keys of the upstream), as from a shell.
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  return new StdioClientTransport({ command, args, env, stderr: "ignore" });
}

/** Splits a command line on spaces, keeping "double" or 'single' quoted parts together. */
export function splitCommand(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}
