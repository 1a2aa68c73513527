#!/usr/bin/env node
import { Command, Option } from "commander";
import { PolicyValidationError, toValidationIssues } from "llm-wasm-sandbox";
import { CliOptionsSchema } from "./config.js";
import { LOG_LEVELS } from "./logger.js";
import { SERVER_VERSION } from "./server.js";
import { startServer } from "./start.js";

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(",").map((s) => s.trim()).filter(Boolean)];

const program = new Command("llm-wasm-mcp")
  .description("MCP server running Python, JavaScript, Ruby and Lua in WebAssembly sandboxes")
  .version(SERVER_VERSION)
  .addOption(new Option("--transport <kind>", "stdio or http").choices(["stdio", "http"]).default("stdio"))
  .option("--host <host>", "HTTP bind address", "127.0.0.1")
  .option("--port <port>", "HTTP port", "8080")
  .option("--auth-token <token>", "bearer token HTTP clients must send (repeatable: one per client; or LLM_WASM_MCP_AUTH_TOKEN, comma-separated)", list)
  .option("--allowed-host <host>", "Host header values accepted besides the loopback names (repeatable, comma-separated)", list)
  .option("--cors-origin <origin>", "browser origin allowed to call (repeatable, comma-separated; * for any)", list)
  .option("--max-request-mb <n>", "largest HTTP request body, MiB", "16")
  .option("--rate-limit <n>", "HTTP requests per minute per client", "600")
  .option("--max-concurrent <n>", "concurrent executions per client", "4")
  .option("--max-pending <n>", "executions running or waiting for a worker, server-wide; HTTP clients past it get 503", "32")
  .option("--idle-timeout-minutes <n>", "close HTTP client sessions idle this long", "30")
  .option("--external-files <file...>", "host files mounted read-only at /external")
  .option("--max-external-file-size-mb <n>", "largest external file, MiB", "50")
  .option("--storage-dir <dir>", "session workspace directory (default ~/.local/share/llm-wasm-sandbox/mcp-workspace)")
  .option("--storage <url>", "s3://bucket/prefix to keep sessions in S3")
  .option("--s3-endpoint <url>", "S3-compatible endpoint (MinIO, R2, …)")
  .option("--s3-region <region>", "S3 region", "us-east-1")
  .option("--fuel <n>", "fuel budget per execution")
  .option("--memory <bytes>", "memory cap per execution, bytes")
  .option("--timeout <ms>", "wall-clock limit per execution, ms")
  .option("--max-timeout <seconds>", "largest per-call timeout a client may ask for", "300")
  .option("--keep-alive-max <n>", "live interpreters kept for create_session(keep_alive=true) sessions at most (0 = refuse keep_alive)", "8")
  .option("--keep-alive-idle-minutes <n>", "end a kept interpreter idle this long", "5")
  .option("--max-output-chars <n>", "stdout and stderr returned to the model per run, characters each (head and tail; the whole stream is saved in the session)", "20000")
  .option("--session-ttl-hours <n>", "delete sessions idle this long (0 = never)", "24")
  .option("--ephemeral-session-ttl-minutes <n>", "delete sessions created for execute_code without session_id after this long idle (0 = use --session-ttl-hours)", "60")
  .option("--runtimes <list>", "languages to offer, e.g. python,javascript", list)
  .option("--prewarm <list>", "runtimes whose worker threads keep an instance ready for their next run (default: every offered runtime; none to turn it off)", list)
  .option("--config <file>", "policy TOML (sandbox.toml)")
  .option("--vendor-dir <dir>", "Python vendor directory for install_package")
  .option("--package-index <url>", "PEP 503/691 index for install_package (default PyPI)")
  .option("--tools-from <command or URL>", "upstream MCP server whose tools sandboxed code may call (a command line spoken to over stdio, or an http(s) URL; repeatable)", (v: string, prev: string[] = []) => [...prev, v])
  .option("--tools-allow <names>", "offer only these upstream tools (repeatable, comma-separated)", list)
  .option("--tools-allow-writes", "also offer upstream tools not marked readOnlyHint (default: read-only tools only)")
  .option("--tools-max-calls <n>", "upstream tool calls one execution may make", "50")
  .addOption(new Option("--log-level <level>", "pino log level (logs go to stderr)").choices(LOG_LEVELS).default("info"))
  .action(async (raw: Record<string, unknown>) => {
    const { corsOrigin, authToken, allowedHost, ...rest } = raw;
    const parsed = CliOptionsSchema.safeParse({
      ...rest,
      authTokens: authToken ?? list(process.env.LLM_WASM_MCP_AUTH_TOKEN ?? ""),
      allowedHosts: allowedHost ?? [],
      corsOrigins: corsOrigin ?? [],
      externalFiles: raw.externalFiles ?? [],
      toolsFrom: raw.toolsFrom ?? [],
      toolsAllow: raw.toolsAllow ?? [],
      toolsAllowWrites: raw.toolsAllowWrites === true,
    });
    if (!parsed.success) {
      process.stderr.write(`${new PolicyValidationError(toValidationIssues(parsed.error), "llm-wasm-mcp options").message}\n`);
      process.exit(2);
    }
    const server = await startServer(parsed.data);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`llm-wasm-mcp: ${signal}, finishing in-flight executions…\n`);
      void server.close().then(() => process.exit(0));
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    if (parsed.data.transport === "stdio") process.stdin.on("end", () => stop("stdin closed"));
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`llm-wasm-mcp: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
