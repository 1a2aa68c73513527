import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, tempDir } from "./helpers.js";

const run = promisify(execFile);
const INSPECTOR = fileURLToPath(new URL("../node_modules/.bin/mcp-inspector", import.meta.url));

describe("@modelcontextprotocol/inspector in CLI mode", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("mcp-inspector-");
  });
  afterAll(async () => {
    await dir?.dispose();
  });

  const inspect = async (...args: string[]) => {
    const { stdout } = await run(INSPECTOR, ["--cli", process.execPath, CLI, "--storage-dir", dir.path, "--runtimes", "python", ...args], { timeout: 90_000 });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it("lists the tools", async () => {
    const out = (await inspect("--method", "tools/list")) as { tools: Array<{ name: string }> };
    expect(out.tools.map((t) => t.name)).toContain("execute_code");
    expect(out.tools).toHaveLength(13);
  });

  it("calls execute_code", async () => {
    const out = (await inspect("--method", "tools/call", "--tool-name", "execute_code", "--tool-arg", "code=print(6*7)", "--tool-arg", "language=python")) as {
      content: Array<{ text: string }>;
      structuredContent: { stdout: { chars: number }; success: boolean };
    };
    expect(out.structuredContent).toMatchObject({ stdout: { chars: 3 }, success: true });
    expect(out.content.map((c) => c.text)).toContain("stdout:\n42");
  });
});
