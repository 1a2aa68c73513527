import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { addressKey, clientIdentity, header, hostProblem } from "./client-identity.js";
import { type ExecutionGate, RateLimiter } from "./limits.js";
import { createMcpServer } from "./server.js";
import type { SandboxService } from "./service.js";
import type { ToolContext } from "./tools/tool-context.js";

/** Options of the Streamable HTTP transport. */
export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** Bearer tokens; each one is a client of its own for the limits. None = no auth (loopback use only). */
  readonly authTokens: readonly string[];
  /** Host header values accepted besides the loopback names (DNS rebinding protection). */
  readonly allowedHosts: readonly string[];
  /** Origins allowed to call from a browser; requests with another Origin get 403. */
  readonly corsOrigins: readonly string[];
  readonly maxRequestBytes: number;
  /** Requests per minute per client (token, else remote address), across all its MCP sessions. */
  readonly rateLimitPerMinute: number;
  /** Open MCP sessions per client. */
  readonly maxSessionsPerClient: number;
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
  /** The client that opened it; only that client may use it. */
  readonly client: string;
  lastSeen: number;
}

/**
 * Serves MCP over Streamable HTTP at `/mcp`, one MCP server per client session. Limits are
 * keyed on the client (its token, else its address), never on the MCP session: a second
 * session buys no extra requests or executions.
 */
export async function startHttpServer(
  service: SandboxService,
  gate: ExecutionGate,
  tools: Omit<ToolContext, "clientKey">,
  opts: HttpServerOptions,
  logger: Logger,
): Promise<HttpServerHandle> {
  const sessions = new Map<string, ClientSession>();
  const rate = new RateLimiter(opts.rateLimitPerMinute);
  let closing = false;
  /**
   * execute_code requests accepted and not yet answered. Shutdown waits for these, not only
   * for runs already started: a request accepted a moment before SIGTERM may not have
   * reached its run yet (on a busy machine, for a while).
   */
  let executeRequests = 0;

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: e }, "request failed");
      if (!res.headersSent) reply(res, 500, rpcError(-32603, "internal server error"));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const badHost = hostProblem(req, opts.host, opts.allowedHosts);
    if (badHost) return reply(res, 403, rpcError(-32600, badHost));
    if (url.pathname !== "/mcp") return reply(res, 404, rpcError(-32601, "not found — the MCP endpoint is /mcp"));
    if (!cors(req, res, opts.corsOrigins)) return reply(res, 403, rpcError(-32600, "origin not allowed"));
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    if (closing) return reply(res, 503, rpcError(-32000, "server is shutting down"));
    const client = clientIdentity(req, opts.authTokens);
    if (client === null) {
      // Failed attempts count against the address, so guessing tokens is rate-limited too.
      const penalty = rate.take(`unauthenticated:${addressKey(req.socket.remoteAddress ?? "unknown")}`);
      if (penalty > 0) return refuse(res, 429, penalty, `too many unauthenticated requests; retry in ${penalty} s`);
      res.setHeader("WWW-Authenticate", 'Bearer realm="llm-wasm-mcp"');
      return reply(res, 401, rpcError(-32001, "missing or invalid bearer token"));
    }
    const wait = rate.take(client);
    if (wait > 0) return refuse(res, 429, wait, `rate limit of ${opts.rateLimitPerMinute} requests per minute exceeded; retry in ${wait} s`);
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
      // Refuse an execution the gate would refuse anyway with an HTTP status clients back off on.
      if (callsExecute(body)) {
        const refusal = gate.check(client);
        if (refusal) {
          const status = refusal.scope === "client" ? 429 : 503;
          const why = refusal.scope === "client" ? `this client already runs its limit of ${refusal.limit} executions` : `the server is running its limit of ${refusal.limit} executions`;
          return refuse(res, status, refusal.retryAfterSeconds, `${why}; retry in ${refusal.retryAfterSeconds} s`);
        }
        executeRequests++;
        res.once("close", () => executeRequests--);
      }
    }
    const sid = header(req, "mcp-session-id");
    let session = sid ? sessions.get(sid) : undefined;
    if (sid && !session) return reply(res, 404, rpcError(-32001, "unknown or expired Mcp-Session-Id; initialize a new session"));
    if (session && session.client !== client) return reply(res, 403, rpcError(-32001, "this Mcp-Session-Id belongs to another client"));
    if (!session) {
      if (req.method !== "POST" || !isInitializeRequest(body)) return reply(res, 400, rpcError(-32000, "no Mcp-Session-Id: send an initialize request first"));
      if (countSessions(client) >= opts.maxSessionsPerClient) {
        return refuse(res, 429, 30, `this client has ${opts.maxSessionsPerClient} open MCP sessions; reuse one or close one (HTTP DELETE) first`);
      }
      session = await openSession(client);
    }
    session.lastSeen = Date.now();
    await session.transport.handleRequest(req, res, body);
  }

  function refuse(res: ServerResponse, status: 429 | 503, retryAfter: number, message: string): void {
    service.metrics.rejected();
    res.setHeader("Retry-After", String(retryAfter));
    reply(res, status, rpcError(-32002, message));
  }

  function countSessions(client: string): number {
    let n = 0;
    for (const s of sessions.values()) if (s.client === client) n++;
    return n;
  }

  async function openSession(client: string): Promise<ClientSession> {
    let id = "";
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        id = sessionId;
        sessions.set(sessionId, entry);
        logger.info({ event: "mcp.session.open", mcpSession: sessionId, client }, "client session opened");
      },
    });
    transport.onclose = () => {
      if (id && sessions.delete(id)) logger.info({ event: "mcp.session.close", mcpSession: id }, "client session closed");
    };
    const server = createMcpServer(service, gate, {
      ...tools,
      clientKey: () => client,
      metricsExtra: () => ({ transport: "http", clientSessions: sessions.size }),
    });
    const entry: ClientSession = { transport, server, client, lastSeen: Date.now() };
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
      while ((executeRequests > 0 || service.metrics.inFlight > 0) && Date.now() < deadline) await sleep(50);
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

/** True when a JSON-RPC message (or batch) calls execute_code. */
function callsExecute(body: unknown): boolean {
  const one = (m: unknown) => typeof m === "object" && m !== null && (m as { method?: unknown }).method === "tools/call" && (m as { params?: { name?: unknown } }).params?.name === "execute_code";
  return Array.isArray(body) ? body.some(one) : one(body);
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
