import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stdioClient, tempDir, waitFor } from "./helpers.js";

type JsonSchema = { type?: string; description?: string; enum?: string[]; maximum?: number; properties?: Record<string, JsonSchema> };

describe("tool schemas an LLM reads well", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("mcp-schemas-");
    client = await stdioClient(["--storage-dir", dir.path, "--runtimes", "javascript,lua", "--max-timeout", "90", "--log-level", "warn"]);
  });
  afterAll(async () => {
    await client?.close();
    await dir?.dispose();
  });

  it("offers language as an enum of the installed runtimes it serves", async () => {
    const { tools } = await client.listTools();
    for (const name of ["execute_code", "create_session"]) {
      const language = (tools.find((t) => t.name === name)!.inputSchema.properties as Record<string, JsonSchema>).language!;
      expect([...language.enum!].sort()).toEqual(["javascript", "lua"]);
    }
    // Python is not offered here, so neither are its package tools.
    expect(tools.map((t) => t.name)).not.toContain("install_package");
  });

  it("describes every argument, and declares an outputSchema on every tool that returns structuredContent", async () => {
    const { tools } = await client.listTools();
    for (const t of tools) {
      for (const [arg, schema] of Object.entries((t.inputSchema.properties ?? {}) as Record<string, JsonSchema>)) {
        expect(schema.description, `${t.name}.${arg}`).toMatch(/\w{3}/);
      }
      expect(t.outputSchema?.type, t.name).toBe("object");
    }
  });

  it("states the timeout the server really enforces, and enforces it", async () => {
    const { tools } = await client.listTools();
    const timeout = (tools.find((t) => t.name === "execute_code")!.inputSchema.properties as Record<string, JsonSchema>).timeout!;
    expect(timeout.maximum).toBe(90);
    expect(timeout.description).toContain("at most 90");
    const over = await call(client, "execute_code", { language: "javascript", code: "console.log(1)", timeout: 91 });
    expect(over.isError).toBe(true);
  });

  it("says truthfully what auto_persist_globals keeps", async () => {
    const { tools } = await client.listTools();
    const description = tools.find((t) => t.name === "create_session")!.description!;
    expect(description).toContain("datetime objects");
    expect(description).toContain("`_state`");
    expect(description).not.toMatch(/can be pickled/);
  });
});

describe("sessions do not pile up", () => {
  it("deletes the session of a sessionless call once it is idle, and keeps sessions asked for", async () => {
    const dir = await tempDir("mcp-ttl-");
    const client = await stdioClient(["--storage-dir", dir.path, "--runtimes", "javascript", "--ephemeral-session-ttl-minutes", "0.02", "--log-level", "warn"]);
    try {
      const { data: kept } = await call(client, "create_session", { language: "javascript" });
      const oneOff = await call(client, "execute_code", { language: "javascript", code: "writeText('/app/x.txt', 'x')" });
      const id = oneOff.data.session_id as string;
      expect(oneOff.data.files_created).toEqual(["x.txt"]);
      await waitFor(async () => (await call(client, "get_workspace_info", { session_id: id })).isError, 30_000);
      expect((await call(client, "get_workspace_info", { session_id: id })).text).toContain("not found");
      expect((await call(client, "get_workspace_info", { session_id: kept.session_id })).isError).toBe(false);
    } finally {
      await client.close();
      await dir.dispose();
    }
  });
});
