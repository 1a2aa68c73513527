import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The built server binary; `pnpm test` builds it before vitest runs (the load bench runs bundled from dist/bench). */
export const CLI = fileURLToPath(new URL(import.meta.url.includes("/dist/bench/") ? "../cli.js" : "../dist/cli.js", import.meta.url));

/** A temp directory removed by `dispose`. */
export async function tempDir(prefix: string): Promise<{ path: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

/** Connects an SDK Client to a freshly spawned `llm-wasm-mcp` over stdio. */
export async function stdioClient(args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, ...args], stderr: "ignore", env: { ...inherited, ...env } }));
  return client;
}

/** A spawned HTTP server and its URL (read from its startup log line on stderr). */
export interface HttpServer {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<number | null>;
}

export async function spawnHttpServer(args: string[]): Promise<HttpServer> {
  const child = spawn(process.execPath, [CLI, "--transport", "http", "--port", "0", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${buf}`)), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${buf}`)));
  });
  child.stderr!.resume();
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.once("exit", (code) => {
          clearTimeout(kill);
          resolve(code);
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Connects an SDK Client over Streamable HTTP. */
export async function httpClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined);
  await client.connect(transport);
  return client;
}

/** What a tool call returned, with execute_code's stdout/stderr blocks picked out. */
export interface ToolCall {
  readonly data: Record<string, unknown>;
  /** Every text block, joined. */
  readonly text: string;
  readonly isError: boolean;
  /** The stdout block's text without its first line, the "stdout:" label ("" when there is none). */
  readonly stdout: string;
  readonly stderr: string;
  readonly raw: CallToolResult;
}

/** Calls a tool and returns its structured content, text and output streams. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}, options?: RequestOptions): Promise<ToolCall> {
  const r = (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
  const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  const stream = (name: string) => {
    const block = r.content.find((c) => c.type === "text" && c._meta?.["llm-wasm-sandbox/stream"] === name);
    return block?.type === "text" ? `${block.text.slice(block.text.indexOf("\n") + 1)}\n` : "";
  };
  return { data: (r.structuredContent ?? {}) as Record<string, unknown>, text, isError: Boolean(r.isError), stdout: stream("stdout"), stderr: stream("stderr"), raw: r };
}

/** Polls `check` until it holds (every 50 ms, up to `limitMs`); throws when it never does. */
export async function waitFor(check: () => Promise<boolean> | boolean, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 50));
  }
}
