import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stdioClient, tempDir } from "./helpers.js";
import { buildWheel, servePackageIndex } from "./package-index.js";

const TOOLS = [
  "cancel_execution",
  "create_session",
  "destroy_session",
  "execute_code",
  "get_metrics",
  "get_workspace_info",
  "install_package",
  "list_available_packages",
  "list_files",
  "list_runtimes",
  "read_file",
  "reset_workspace",
  "write_file",
];

describe("llm-wasm-mcp over stdio", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let index: Awaited<ReturnType<typeof servePackageIndex>>;

  beforeAll(async () => {
    dir = await tempDir("mcp-stdio-");
    await writeFile(join(dir.path, "prices.csv"), "item,price\napple,3\npear,4\n");
    const wheel = buildWheel("mcp_demo_pkg", "1.2.0", "def greet(n):\n    return f'hello {n} from a vendored package'\n");
    index = await servePackageIndex([{ project: "mcp-demo-pkg", ...wheel }]);
    client = await stdioClient([
      "--storage-dir", join(dir.path, "ws"),
      "--vendor-dir", join(dir.path, "vendor"),
      "--package-index", index.url,
      "--external-files", join(dir.path, "prices.csv"),
      "--runtimes", "python,javascript",
      "--log-level", "warn",
    ]);
  });
  afterAll(async () => {
    await client?.close();
    await index?.close();
    await dir?.dispose();
  });

  it("lists every tool with a JSON schema and a description", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe("object");
      expect(t.description?.length).toBeGreaterThan(20);
    }
    const exec = tools.find((t) => t.name === "execute_code")!;
    expect(Object.keys(exec.inputSchema.properties ?? {}).sort()).toEqual(["code", "idempotency_key", "language", "session_id", "timeout"]);
    expect(exec.description).toContain("/app");
  });

  it("lists only the runtimes it was asked to offer, with versions and defaults", async () => {
    const { data } = await call(client, "list_runtimes");
    const runtimes = data.runtimes as Array<{ language: string; version: string; defaults: { fuel_budget: number } }>;
    expect(runtimes.map((r) => r.language)).toEqual(["javascript", "python"]);
    expect(runtimes[0]!.defaults.fuel_budget).toBe(20_000_000_000); // the interpreters' own default (issue 21)
  });

  it("executes code and returns structured results, starting a session when none is given", async () => {
    const { data, text, isError, stdout } = await call(client, "execute_code", { code: "print(6 * 7)", language: "python" });
    expect(isError).toBe(false);
    expect(data.success).toBe(true);
    expect(stdout).toBe("42\n");
    expect(typeof data.session_id).toBe("string");
    expect(data.fuel_consumed).toBeGreaterThan(0);
    expect((data.fuel_analysis as { status: string }).status).toBe("efficient");
    expect(text).toContain("42");
  });

  it("keeps globals across turns of an auto-persist session", async () => {
    const { data: s } = await call(client, "create_session", { language: "python", auto_persist_globals: true });
    const id = s.session_id as string;
    await call(client, "execute_code", { code: "total = 40\nitems = ['a']", language: "python", session_id: id });
    const { stdout } = await call(client, "execute_code", { code: "total += 2\nitems.append('b')\nprint(total, items)", language: "python", session_id: id });
    expect(stdout).toContain("42 ['a', 'b']");
  });

  it("moves files in and out without running code, and manages the workspace", async () => {
    const { data: s } = await call(client, "create_session", { language: "javascript", session_id: "files-turn" });
    expect(s.session_id).toBe("files-turn");
    expect((await call(client, "write_file", { session_id: "files-turn", path: "in/data.json", content: '{"n": 20}' })).isError).toBe(false);
    const run = await call(client, "execute_code", {
      language: "javascript",
      session_id: "files-turn",
      code: 'const d = readJson("/app/in/data.json"); writeText("/app/out.txt", String(d.n + 1)); console.log("done")',
    });
    expect(run.data.files_created).toEqual(["out.txt"]);
    expect((await call(client, "read_file", { session_id: "files-turn", path: "/app/out.txt" })).text).toBe("21");
    const listed = (await call(client, "list_files", { session_id: "files-turn" })).data.files as Array<{ path: string }>;
    expect(listed.map((f) => f.path)).toEqual(["in", "in/data.json", "out.txt"]);
    const info = await call(client, "get_workspace_info", { session_id: "files-turn" });
    expect(info.data.runtime).toBe("javascript");
    expect(await call(client, "reset_workspace", { session_id: "files-turn" })).toMatchObject({ isError: false });
    expect((await call(client, "list_files", { session_id: "files-turn" })).data.files).toEqual([]);
    expect((await call(client, "destroy_session", { session_id: "files-turn" })).data.deleted).toBe(true);
    const gone = await call(client, "get_workspace_info", { session_id: "files-turn" });
    expect(gone.isError).toBe(true);
    expect(gone.text).toContain("not found");
  });

  it("returns binary files as base64", async () => {
    const { data: s } = await call(client, "create_session", { language: "python" });
    await call(client, "write_file", { session_id: s.session_id, path: "b.bin", content: Buffer.from([0xff, 0, 1]).toString("base64"), encoding: "base64" });
    const r = await call(client, "read_file", { session_id: s.session_id, path: "b.bin" });
    expect(r.data).toMatchObject({ encoding: "base64", size: 3, next_offset: null });
    expect(r.text).toBe("/wAB");
  });

  it("shows host-provided files read-only at /external", async () => {
    const { stdout } = await call(client, "execute_code", {
      language: "python",
      code: "print(open('/external/prices.csv').read().splitlines()[1])\ntry:\n    open('/external/prices.csv', 'w')\nexcept OSError as e:\n    print('read-only', type(e).__name__)",
    });
    expect(stdout).toContain("apple,3");
    expect(stdout).toContain("read-only");
  });

  it("installs a pure-Python package from the configured index and imports it", async () => {
    const inst = await call(client, "install_package", { package: "mcp-demo-pkg" });
    expect(inst.isError).toBe(false);
    expect(inst.data.installed).toEqual([{ name: "mcp-demo-pkg", version: "1.2.0" }]);
    const listed = await call(client, "list_available_packages");
    expect(JSON.stringify(listed.data)).toContain("mcp-demo-pkg");
    const { stdout } = await call(client, "execute_code", { language: "python", code: "import mcp_demo_pkg\nprint(mcp_demo_pkg.greet('ada'))" });
    expect(stdout).toContain("hello ada from a vendored package");
  });

  it("answers bad input with clear error results and keeps serving", async () => {
    const lang = await call(client, "execute_code", { code: "x", language: "cobol" });
    expect(lang.isError).toBe(true);
    expect(lang.text).toMatch(/python.*javascript|javascript.*python/);
    const sess = await call(client, "execute_code", { code: "print(1)", language: "python", session_id: "no-such-session" });
    expect(sess).toMatchObject({ isError: true });
    expect(sess.text).toContain("not found");
    const badId = await call(client, "read_file", { session_id: "../etc", path: "passwd" });
    expect(badId.isError).toBe(true);
    const badPath = await call(client, "write_file", { session_id: "x", path: "../../evil", content: "x" });
    expect(badPath.isError).toBe(true);
    const malformed = await client.callTool({ name: "execute_code", arguments: { language: "python" } }).then(
      (r) => Boolean(r.isError),
      () => true,
    );
    expect(malformed).toBe(true);
    expect((await call(client, "execute_code", { code: "print('still here')", language: "python" })).stdout).toBe("still here\n");
  });

  it("reports metrics", async () => {
    const { data } = await call(client, "get_metrics");
    expect(data.executions).toBeGreaterThanOrEqual(5);
    expect((data.runtimes as Record<string, { executions: number }>).python!.executions).toBeGreaterThan(0);
    expect(data.transport).toBe("stdio");
  });
});
