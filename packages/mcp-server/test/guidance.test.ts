import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stdioClient, tempDir } from "./helpers.js";

/** Library and CLI knobs a model on MCP cannot turn. */
const NOT_FOR_MCP = /policy\.|createIfMissing|autoPersistGlobals|fuelBudget|vendor add|--fuel|--memory|--timeout|indexUrl/;

describe("error guidance worded for a model on MCP", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("mcp-guidance-");
    client = await stdioClient(["--storage-dir", dir.path, "--runtimes", "python,javascript", "--max-timeout", "5", "--log-level", "warn"]);
  });
  afterAll(async () => {
    await client?.close();
    await dir?.dispose();
  });

  it("suggests install_package for a missing Python package, not the CLI's vendor command", async () => {
    const r = await call(client, "execute_code", { language: "python", code: "import attrs_is_not_installed" });
    expect(r.text).toContain('install_package with package "attrs_is_not_installed"');
    expect(r.text).not.toMatch(NOT_FOR_MCP);
  });

  it("suggests create_session(auto_persist_globals=true) for a NameError, and not once the session persists", async () => {
    const fresh = await call(client, "execute_code", { language: "python", code: "print(counter)" });
    expect(fresh.text).toContain("create_session(auto_persist_globals=true)");
    expect(fresh.text).not.toMatch(NOT_FOR_MCP);
    const { data: s } = await call(client, "create_session", { language: "python", auto_persist_globals: true });
    const persisting = await call(client, "execute_code", { language: "python", session_id: s.session_id, code: "print(counter)" });
    expect(persisting.text).toContain("keeps globals");
    expect(persisting.text).not.toContain("create_session");
  });

  it("does not suggest a longer timeout than the server allows", async () => {
    const r = await call(client, "execute_code", { language: "python", timeout: 5, code: "import time\ntime.sleep(30)" });
    expect(r.data.trap_reason).toBe("timeout");
    expect(r.text).not.toContain("larger timeout");
    expect(r.text).not.toMatch(NOT_FOR_MCP);
  });

  it("words an unknown session for a model", async () => {
    const r = await call(client, "execute_code", { language: "python", session_id: "no-such-session", code: "print(1)" });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("omit session_id");
    expect(r.text).not.toMatch(NOT_FOR_MCP);
  });

  it("tells a model that ran out of fuel to split the work, not to raise a budget it cannot set", async () => {
    const low = await tempDir("mcp-guidance-fuel-");
    const c = await stdioClient(["--storage-dir", low.path, "--runtimes", "javascript", "--fuel", "20000000", "--log-level", "warn"]);
    try {
      const r = await call(c, "execute_code", { language: "javascript", code: "while (true) {}" });
      expect(r.data.trap_reason).toBe("out_of_fuel");
      // The server's own words (not the program's stderr, where today's host still writes its stop line).
      const ours = r.raw.content.filter((c) => c.type === "text" && c._meta?.["llm-wasm-sandbox/stream"] === undefined).map((c) => (c.type === "text" ? c.text : ""));
      expect(ours.join("\n")).toContain("split it across several execute_code calls");
      expect(ours.join("\n")).not.toMatch(NOT_FOR_MCP);
    } finally {
      await c.close();
      await low.dispose();
    }
  });
});
