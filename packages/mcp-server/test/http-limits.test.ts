import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { call, httpClient, spawnHttpServer, tempDir, waitFor } from "./helpers.js";

const TOKEN_A = "token-a-0123456789abcdef";
const TOKEN_B = "token-b-0123456789abcdef";
const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
}

/** A POST with a chosen Host header (fetch does not let a caller set Host). */
function postWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { Host: host, "Content-Type": "application/json", Accept: "application/json, text/event-stream" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(JSON.stringify(initialize));
  });
}

async function withServer(args: string[], fn: (url: string) => Promise<void>): Promise<void> {
  const dir = await tempDir("mcp-limits-");
  const s = await spawnHttpServer(["--storage-dir", dir.path, "--runtimes", "python", ...args]);
  try {
    await fn(s.url);
  } finally {
    await s.stop();
    await dir.dispose();
  }
}

describe("HTTP limits are per client, not per MCP session (attacks)", () => {
  it("a second MCP session buys no extra requests past --rate-limit", async () => {
    await withServer(["--rate-limit", "3"], async (url) => {
      const statuses: number[] = [];
      // Three sessions opened in turn: with per-session buckets each got 3 requests (9 in all).
      for (let i = 0; i < 3; i++) {
        const init = await post(url, initialize);
        statuses.push(init.status);
        const sid = init.headers.get("mcp-session-id");
        const headers: Record<string, string> = sid ? { "Mcp-Session-Id": sid, "Mcp-Protocol-Version": "2025-06-18" } : {};
        statuses.push((await post(url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, headers)).status);
        statuses.push((await post(url, { jsonrpc: "2.0", id: 3, method: "tools/list" }, headers)).status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    });
  });

  it("--max-concurrent holds across one client's MCP sessions, with 429 and Retry-After", async () => {
    await withServer(["--max-concurrent", "1"], async (url) => {
      const first = await httpClient(url);
      const second = await httpClient(url);
      try {
        const slow = call(first, "execute_code", { code: "import time\ntime.sleep(60)", language: "python", timeout: 120 });
        slow.catch(() => {});
        await waitFor(async () => (await call(second, "get_metrics")).data.inFlight === 1);
        await expect(call(second, "execute_code", { code: "print(1)", language: "python" })).rejects.toMatchObject({ code: 429 });
        expect((await call(first, "cancel_execution", {})).data.cancelled).toBe(1);
        expect((await slow).data.trap_reason).toBe("cancelled");
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  });

  it("each token is its own client, and one token cannot use another token's MCP session", async () => {
    await withServer(["--auth-token", `${TOKEN_A},${TOKEN_B}`, "--max-concurrent", "1"], async (url) => {
      const a = await httpClient(url, TOKEN_A);
      const b = await httpClient(url, TOKEN_B);
      try {
        const slow = call(a, "execute_code", { code: "import time\ntime.sleep(60)", language: "python", timeout: 120 });
        slow.catch(() => {});
        await waitFor(async () => (await call(a, "get_metrics")).data.inFlight === 1);
        expect((await call(b, "execute_code", { code: "print('b runs')", language: "python" })).stdout).toBe("b runs\n");
        // B cannot cancel A's run, nor ride A's MCP session.
        expect((await call(b, "cancel_execution", {})).data.cancelled).toBe(0);
        const init = await post(url, initialize, { Authorization: `Bearer ${TOKEN_A}` });
        const hijack = await post(url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { Authorization: `Bearer ${TOKEN_B}`, "Mcp-Session-Id": init.headers.get("mcp-session-id")!, "Mcp-Protocol-Version": "2025-06-18" });
        expect(hijack.status).toBe(403);
        expect((await call(a, "cancel_execution", {})).data.cancelled).toBe(1);
        await slow;
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });

  it("bounds the server-wide queue: past --max-pending another client gets 503 with Retry-After", async () => {
    await withServer(["--auth-token", `${TOKEN_A},${TOKEN_B}`, "--max-pending", "1", "--max-concurrent", "4"], async (url) => {
      const a = await httpClient(url, TOKEN_A);
      const b = await httpClient(url, TOKEN_B);
      try {
        const slow = call(a, "execute_code", { code: "import time\ntime.sleep(60)", language: "python", timeout: 120 });
        slow.catch(() => {});
        await waitFor(async () => (await call(a, "get_metrics")).data.inFlight === 1);
        await expect(call(b, "execute_code", { code: "print(1)", language: "python" })).rejects.toMatchObject({ code: 503 });
        // The raw status and header, as an HTTP client sees them.
        const init = await post(url, initialize, { Authorization: `Bearer ${TOKEN_B}` });
        const headers = { Authorization: `Bearer ${TOKEN_B}`, "Mcp-Session-Id": init.headers.get("mcp-session-id")!, "Mcp-Protocol-Version": "2025-06-18" };
        const refused = await post(url, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "execute_code", arguments: { code: "print(1)", language: "python" } } }, headers);
        expect(refused.status).toBe(503);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await call(a, "cancel_execution", {})).data.cancelled).toBe(1);
        await slow;
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });

  it("rate-limits guessing tokens", async () => {
    await withServer(["--auth-token", TOKEN_A, "--rate-limit", "3"], async (url) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(url, initialize, { Authorization: `Bearer guess-${i}-0123456789abcdef` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });
  });
});

describe("DNS rebinding protection on a loopback server (attack)", () => {
  it("refuses a foreign Host header and accepts loopback names and --allowed-host", async () => {
    await withServer(["--allowed-host", "sandbox.internal"], async (url) => {
      const port = new URL(url).port;
      expect(await postWithHost(url, `evil.example:${port}`)).toBe(403);
      expect(await postWithHost(url, "evil.example")).toBe(403);
      expect(await postWithHost(url, `localhost:${port}`)).toBe(200);
      expect(await postWithHost(url, `127.0.0.1:${port}`)).toBe(200);
      expect(await postWithHost(url, `sandbox.internal:${port}`)).toBe(200);
    });
  });
});
