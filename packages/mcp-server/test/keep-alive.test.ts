/**
 * create_session(keep_alive=true): runs of the session continue a live interpreter, the
 * result says warm, and the server's cap (--keep-alive-max) bounds and can refuse it.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stdioClient, tempDir } from "./helpers.js";

type Structured = { session_id: string; keep_alive?: boolean; warm?: boolean };

describe("create_session keep_alive", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("mcp-keep-alive-");
    client = await stdioClient(["--storage-dir", dir.path, "--runtimes", "javascript,lua", "--keep-alive-max", "2", "--log-level", "warn"]);
  });
  afterAll(async () => {
    await client?.close();
    await dir?.dispose();
  });

  it("continues the live interpreter between execute_code calls and says warm", async () => {
    const created = await call(client, "create_session", { language: "lua", keep_alive: true });
    const session = created.data as Structured;
    expect(session.keep_alive).toBe(true);
    await call(client, "execute_code", { language: "lua", session_id: session.session_id, code: "co = coroutine.wrap(function() for i = 1, 10 do coroutine.yield(i) end end)" });
    const next = await call(client, "execute_code", { language: "lua", session_id: session.session_id, code: "print(co(), co())" });
    expect((next.data as Structured).warm).toBe(true);
    expect(next.stdout.trim()).toBe("1\t2");
    // A session without keep_alive runs cold every time.
    const plain = (await call(client, "create_session", { language: "lua" })).data as Structured;
    expect(plain.keep_alive).toBe(false);
    await call(client, "execute_code", { language: "lua", session_id: plain.session_id, code: "x = 1" });
    const cold = await call(client, "execute_code", { language: "lua", session_id: plain.session_id, code: "print(x)" });
    expect((cold.data as Structured).warm).toBe(false);
    expect(cold.stdout.trim()).toBe("nil");
  });

  it("states the server's cap in the tool description", async () => {
    const { tools } = await client.listTools();
    const keepAlive = (tools.find((t) => t.name === "create_session")!.inputSchema.properties as Record<string, { description?: string }>).keep_alive!;
    expect(keepAlive.description).toContain("at most 2 live interpreters");
  });

  it("refuses keep_alive on a server started with --keep-alive-max 0", async () => {
    const off = await stdioClient(["--storage-dir", dir.path, "--runtimes", "lua", "--keep-alive-max", "0", "--log-level", "warn"]);
    try {
      const refused = await call(off, "create_session", { language: "lua", keep_alive: true });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain("--keep-alive-max 0");
    } finally {
      await off.close();
    }
  });
});
