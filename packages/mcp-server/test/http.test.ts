import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type HttpServer, httpClient, spawnHttpServer, tempDir, waitFor } from "./helpers.js";

const TOKEN = "test-token-0123456789abcdef";

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };

describe("llm-wasm-mcp over Streamable HTTP", () => {
  let server: HttpServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = await tempDir("mcp-http-");
    server = await spawnHttpServer([
      "--storage-dir", dir.path,
      "--auth-token", TOKEN,
      "--cors-origin", "https://allowed.example",
      "--max-request-mb", "1",
      "--runtimes", "python,javascript",
      "--log-level", "info",
      // The infinite-loop test expects `timeout`: fuel is set far out of reach so that is the only limit that can bind.
      "--fuel", "9000000000000000",
    ]);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
    await dir?.dispose();
  });

  it("serves the SDK client with a bearer token, in per-client sessions", async () => {
    const a = await httpClient(server.url, TOKEN);
    const b = await httpClient(server.url, TOKEN);
    clients.push(a, b);
    const { stdout } = await call(a, "execute_code", { code: "console.log(1 + 1)", language: "javascript" });
    expect(stdout).toBe("2\n");
    expect((await call(b, "get_metrics")).data.clientSessions).toBe(2);
  });

  it("refuses a missing or wrong token", async () => {
    expect((await post(server.url, initialize)).status).toBe(401);
    const wrong = await post(server.url, initialize, { Authorization: "Bearer wrong-token-wrong-token" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain("Bearer");
    await expect(httpClient(server.url, "not-the-token-at-all")).rejects.toThrow();
  });

  it("allows only listed browser origins", async () => {
    const bad = await post(server.url, initialize, { Authorization: `Bearer ${TOKEN}`, Origin: "https://evil.example" });
    expect(bad.status).toBe(403);
    const good = await post(server.url, initialize, { Authorization: `Bearer ${TOKEN}`, Origin: "https://allowed.example" });
    expect(good.status).toBe(200);
    expect(good.headers.get("access-control-allow-origin")).toBe("https://allowed.example");
    expect(good.headers.get("mcp-session-id")).toBeTruthy();
  });

  it("rejects oversize bodies, bad JSON and unknown sessions with clear errors", async () => {
    const big = await post(server.url, { ...initialize, pad: "x".repeat(2 * 1024 * 1024) }, { Authorization: `Bearer ${TOKEN}` });
    expect(big.status).toBe(413);
    const json = await post(server.url, "{not json", { Authorization: `Bearer ${TOKEN}` });
    expect(json.status).toBe(400);
    const unknown = await post(server.url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { Authorization: `Bearer ${TOKEN}`, "Mcp-Session-Id": "nope" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain("Mcp-Session-Id");
  });

  it("keeps serving other clients while one client's infinite loop runs into its timeout", async () => {
    const looper = await httpClient(server.url, TOKEN);
    const other = await httpClient(server.url, TOKEN);
    clients.push(looper, other);
    const started = Date.now();
    const loop = call(looper, "execute_code", { code: "while True:\n    pass", language: "python", timeout: 4 });
    const quick = await call(other, "execute_code", { code: "console.log('quick')", language: "javascript" });
    const quickAt = Date.now() - started;
    expect(quick.stdout).toBe("quick\n");
    expect((await call(other, "list_runtimes")).isError).toBe(false);
    const looped = await loop;
    const loopAt = Date.now() - started;
    expect(looped.data.trap_reason).toBe("timeout");
    expect(looped.data.success).toBe(false);
    expect(quickAt).toBeLessThan(loopAt);
  });
});

describe("llm-wasm-mcp HTTP under load", () => {
  it("answers 20 execute_code calls from 4 concurrent clients correctly", async () => {
    const dir = await tempDir("mcp-load-");
    // Four clients, told apart by their tokens (on one machine they share an address).
    const tokens = Array.from({ length: 4 }, (_, i) => `load-client-${i}-0123456789abcdef`);
    const s = await spawnHttpServer(["--storage-dir", dir.path, "--runtimes", "javascript", "--max-concurrent", "5", "--auth-token", tokens.join(",")]);
    try {
      const clients = await Promise.all(tokens.map((t) => httpClient(s.url, t)));
      const outputs = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(clients[i % 4]!, "execute_code", { code: `console.log(${i} * ${i})`, language: "javascript" })),
      );
      expect(outputs.map((o) => o.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i * i}\n`));
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      await s.stop();
      await dir.dispose();
    }
  });
});

describe("llm-wasm-mcp HTTP limits and shutdown", () => {
  it("refuses a client's execution past its concurrency limit with 429 and Retry-After", async () => {
    const dir = await tempDir("mcp-conc-");
    const s = await spawnHttpServer(["--storage-dir", dir.path, "--runtimes", "python", "--max-concurrent", "1"]);
    const c = await httpClient(s.url);
    try {
      const slow = call(c, "execute_code", { code: "import time\ntime.sleep(60)\nprint('slow done')", language: "python", timeout: 120 });
      slow.catch(() => {});
      await waitFor(async () => (await call(c, "get_metrics")).data.inFlight === 1);
      await expect(call(c, "execute_code", { code: "print(1)", language: "python" })).rejects.toMatchObject({ code: 429 });
      expect((await call(c, "cancel_execution", {})).data.cancelled).toBe(1);
      expect((await slow).data.trap_reason).toBe("cancelled");
      expect((await call(c, "get_metrics")).data.rejectedRequests).toBe(1);
    } finally {
      await c.close().catch(() => {});
      await s.stop();
      await dir.dispose();
    }
  });

  it("rate-limits a client with 429 and Retry-After", async () => {
    const dir = await tempDir("mcp-rate-");
    const s = await spawnHttpServer(["--storage-dir", dir.path, "--rate-limit", "3", "--runtimes", "javascript"]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(s.url, initialize)).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      const limited = await post(s.url, initialize);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await s.stop();
      await dir.dispose();
    }
  });

  it("expires idle client sessions", async () => {
    const dir = await tempDir("mcp-idle-");
    const s = await spawnHttpServer(["--storage-dir", dir.path, "--idle-timeout-minutes", "0.02", "--runtimes", "javascript"]);
    try {
      const init = await post(s.url, initialize);
      const sid = init.headers.get("mcp-session-id")!;
      const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
      const headers = { "Mcp-Session-Id": sid, "Mcp-Protocol-Version": "2025-06-18" };
      await post(s.url, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
      expect((await post(s.url, list, headers)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3500));
      expect((await post(s.url, list, headers)).status).toBe(404);
    } finally {
      await s.stop();
      await dir.dispose();
    }
  });

  it("lets an in-flight execution finish on SIGTERM, then exits 0", async () => {
    const dir = await tempDir("mcp-term-");
    const s = await spawnHttpServer(["--storage-dir", dir.path, "--runtimes", "python"]);
    const c = await httpClient(s.url);
    try {
      const { data: sess } = await call(c, "create_session", { language: "python" });
      const running = call(c, "execute_code", {
        language: "python",
        session_id: sess.session_id,
        code: "import time\ntime.sleep(1.5)\nopen('/app/done.txt', 'w').write('complete')\nprint('finished')",
      });
      await new Promise((r) => setTimeout(r, 500));
      const exited = s.stop();
      const result = await running;
      expect(result.stdout).toBe("finished\n");
      expect(result.data.files_created).toEqual(["done.txt"]);
      expect(await exited).toBe(0);
    } finally {
      await c.close().catch(() => {});
      await s.stop();
      await dir.dispose();
    }
  });
});
