import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_MODE_CALLS, CODE_MODE_EXPECTED, CODE_MODE_PROGRAMS as PROGRAMS } from "@llm-wasm-sandbox/testkit/code-mode";
import { call, stdioClient, tempDir } from "./helpers.js";

const UPSTREAM = fileURLToPath(new URL("./fixtures/upstream-server.mjs", import.meta.url));

describe("llm-wasm-mcp --tools-from: upstream MCP tools inside execute_code", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let upstreamLog: string;

  beforeAll(async () => {
    dir = await tempDir("mcp-code-mode-");
    upstreamLog = join(dir.path, "upstream.log");
    client = await stdioClient(
      [
        "--storage-dir", join(dir.path, "ws"),
        "--runtimes", "python,javascript,ruby,lua",
        "--tools-from", `"${process.execPath}" "${UPSTREAM}"`,
        "--tools-max-calls", "6",
        "--log-level", "warn",
      ],
      { UPSTREAM_LOG: upstreamLog },
    );
  });
  afterAll(async () => {
    await client?.close();
    await dir?.dispose();
  });

  it("describes the upstream's read-only tools in execute_code, and leaves out the others", async () => {
    const { tools } = await client.listTools();
    const description = tools.find((t) => t.name === "execute_code")!.description!;
    expect(description).toContain("from tools import fail_loudly, search, summarize");
    expect(description).toContain("- search(query: string) -> unknown");
    expect(description).toContain("Tools.fail_loudly()");
    expect(description).toContain("tools.fail_loudly{}");
    expect(description).not.toContain("llm_sandbox");
    expect(description).not.toContain("delete_everything");
  });

  it.each(Object.keys(PROGRAMS) as (keyof typeof PROGRAMS)[])("runs search ×3, filter, summarize, print in %s against the spawned upstream", async (language) => {
    const before = await readLog(upstreamLog);
    const r = await call(client, "execute_code", { language, code: PROGRAMS[language] });
    expect(r.data).toMatchObject({ success: true });
    expect(r.stdout).toBe(CODE_MODE_EXPECTED);
    expect((await readLog(upstreamLog)).slice(before.length)).toEqual(CODE_MODE_CALLS);
  });

  it("turns an upstream error into the language's exception, and cannot reach a tool that is not read-only", async () => {
    const code = `import tools
try:
    tools.fail_loudly()
except tools.ToolError as e:
    print(e.kind, e.args[0])
try:
    tools.call_tool("delete_everything", {})
except tools.ToolError as e:
    print(e.kind)
`;
    const r = await call(client, "execute_code", { language: "python", code });
    expect(r.stdout).toBe("ToolFailed upstream refused: quota exhausted\nUnknownTool\n");
    expect(await readLog(upstreamLog)).not.toContain("delete_everything");
  });

  it("holds each run to --tools-max-calls", async () => {
    const code = `import tools
n = 0
for i in range(20):
    try:
        tools.search(query="fuel")
        n += 1
    except tools.ToolError as e:
        last = e.kind
print(n, last)
`;
    const r = await call(client, "execute_code", { language: "python", code });
    expect(r.stdout).toBe("6 ToolBudgetExceeded\n");
  });
});

async function readLog(path: string): Promise<string[]> {
  try {
    return (await readFile(path, "utf8")).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
