import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { ConcurrencyLimiter, RateLimiter } from "./limits.js";
import { createMcpServer } from "./server.js";
import type { SandboxService } from "./service.js";

/** Options of the Streamable HTTP transport. */
export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** Bearer token every request must carry; none = no auth (loopback use only). */
  readonly authToken?: string;
  /** Origins allowed to call from a browser; requests with another Origin get 403. */
  readonly corsOrigins: readonly string[];
  readonly maxRequestBytes: number;
  readonly rateLimitPerMinute: number;
  readonly maxConcurrentPerClient: number;
  /** MCP sessions idle this long are closed. */
  readonly idleTimeoutMs: number;
}

/** A running HTTP server. */
export interface HttpServerHandle {
  readonly url: string;
  /** Active MCP sessions. */
  sessionCount(): number;
  /** Stops accepting, lets in-flight executions finish for `graceMs`, cancels the rest, closes everything. */
  close(graceMs?: number): Promise<void>;
}

interface ClientSession {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  lastSeen: number;
}

/** Serves MCP over Streamable HTTP at `/mcp`, one MCP server per client session. */
export async function startHttpServer(service: SandboxService, opts: HttpServerOptions, logger: Logger): Promise<HttpServerHandle> {
  const sessions = new Map<string, ClientSession>();
  const rate = new RateLimiter(opts.rateLimitPerMinute);
  const limiter = new ConcurrencyLimiter(opts.maxConcurrentPerClient, () => service.metrics.rejected());
  let closing = false;

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: e }, "request failed");
      if (!res.headersSent) reply(res, 500, rpcError(-32603, "internal server error"));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/mcp") return reply(res, 404, rpcError(-32601, "not found — the MCP endpoint is /mcp"));
    if (!cors(req, res, opts.corsOrigins)) return reply(res, 403, rpcError(-32600, "origin not allowed"));
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    if (closing) return reply(res, 503, rpcError(-32000, "server is shutting down"));
    if (opts.authToken && !authorized(req, opts.authToken)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="llm-wasm-mcp"');
      return reply(res, 401, rpcError(-32001, "missing or invalid bearer token"));
    }
    const sid = header(req, "mcp-session-id");
    const wait = rate.take(sid ?? req.socket.remoteAddress ?? "unknown");
    if (wait > 0) {
      service.metrics.rejected();
      res.setHeader("Retry-After", String(wait));
      return reply(res, 429, rpcError(-32002, `rate limit of ${opts.rateLimitPerMinute} requests per minute exceeded; retry in ${wait} s`));
    }
    let body: unknown;
    if (req.method === "POST") {
      const declared = Number(header(req, "content-length") ?? "0");
      const raw = declared > opts.maxRequestBytes ? null : await readBody(req, opts.maxRequestBytes);
      if (raw === null) {
        service.metrics.rejected();
        res.setHeader("Connection", "close");
        return reply(res, 413, rpcError(-32600, `request larger than ${opts.maxRequestBytes} bytes`));
      }
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return reply(res, 400, rpcError(-32700, "request body is not valid JSON"));
      }
    }
    let session = sid ? sessions.get(sid) : undefined;
    if (sid && !session) return reply(res, 404, rpcError(-32001, "unknown or expired Mcp-Session-Id; initialize a new session"));
    if (!session) {
      if (req.method !== "POST" || !isInitializeRequest(body)) return reply(res, 400, rpcError(-32000, "no Mcp-Session-Id: send an initialize request first"));
      session = await openSession();
    }
    session.lastSeen = Date.now();
    await session.transport.handleRequest(req, res, body);
  }

  async function openSession(): Promise<ClientSession> {
    let id = "";
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        id = sessionId;
        sessions.set(sessionId, entry);
        logger.info({ event: "mcp.session.open", mcpSession: sessionId }, "client session opened");
      },
    });
    transport.onclose = () => {
      if (id && sessions.delete(id)) logger.info({ event: "mcp.session.close", mcpSession: id }, "client session closed");
    };
    const server = createMcpServer(service, limiter, {
      key: () => id,
      metricsExtra: () => ({ transport: "http", clientSessions: sessions.size }),
    });
    const entry: ClientSession = { transport, server, lastSeen: Date.now() };
    await server.connect(transport);
    return entry;
  }

  const sweeper = setInterval(() => {
    const now = Date.now();
    rate.sweep(now);
    for (const [id, s] of sessions) {
      if (now - s.lastSeen > opts.idleTimeoutMs) {
        logger.info({ event: "mcp.session.expire", mcpSession: id }, "idle client session expired");
        void s.server.close();
      }
    }
  }, Math.min(30_000, Math.max(1000, opts.idleTimeoutMs / 4)));
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const addr = http.address() as AddressInfo;
  const url = `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}/mcp`;

  return {
    url,
    sessionCount: () => sessions.size,
    async close(graceMs = 10_000) {
      closing = true;
      clearInterval(sweeper);
      http.close();
      const deadline = Date.now() + graceMs;
      while (service.metrics.inFlight > 0 && Date.now() < deadline) await sleep(50);
      if (service.metrics.inFlight > 0) {
        logger.warn({ event: "mcp.shutdown.cancel", inFlight: service.metrics.inFlight }, "cancelling executions still running after the grace period");
        service.cancelAll();
        while (service.metrics.inFlight > 0 && Date.now() < deadline + 5000) await sleep(50);
      }
      await Promise.all([...sessions.values()].map((s) => s.server.close().catch(() => {})));
      http.closeAllConnections();
    },
  };
}

function cors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): boolean {
  const origin = header(req, "origin");
  if (!origin) return true;
  if (!allowed.includes("*") && !allowed.includes(origin)) return false;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID");
  res.setHeader("Access-Control-Expose-Headers", "Mcp-Session-Id");
  return true;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const got = Buffer.from(header(req, "authorization") ?? "");
  const want = Buffer.from(`Bearer ${token}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) {
      req.resume();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function rpcError(code: number, message: string): Record<string, unknown> {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
