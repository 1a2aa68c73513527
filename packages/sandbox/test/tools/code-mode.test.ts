import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, describeTools, LogEvent, memoryStorage, PolicyValidationError, type SandboxHost } from "../../src/index.js";
import { EXPECTED, PROGRAMS, searchTools } from "./fixtures.js";

const LANGS = ["python", "javascript"] as const;

describe("code mode: guest code calls host functions", () => {
  let host: SandboxHost;
  beforeAll(() => {
    host = createSandboxHost({ storage: memoryStorage(), pool: { size: 2 } });
  });
  afterAll(async () => {
    await host.close();
  });

  it.each(LANGS)("runs search ×3, filter, summarize, print in %s", async (lang) => {
    const log: string[] = [];
    const sb = await createSandbox({ runtime: lang, host, tools: searchTools(log) });
    const r = await sb.execute(PROGRAMS[lang]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(EXPECTED);
    expect(log).toEqual(["search:fuel", "search:memory", "search:wasi", "summarize:2"]);
    expect(r.toolCalls.map((c) => [c.name, c.args, c.ok])).toEqual([
      ["search", { query: "fuel" }, true],
      ["search", { query: "memory" }, true],
      ["search", { query: "wasi" }, true],
      ["summarize", { titles: ["Fuel in WebAssembly", "WASI preview1"] }, true],
    ]);
  });

  it.each(LANGS)("turns a handler error into the language's own exception (%s)", async (lang) => {
    const tools = {
      fail: defineTool({
        description: "Always fails.",
        input: z.object({ why: z.string() }),
        handler: ({ why }) => {
          throw new Error(`upstream said: ${why}`);
        },
      }),
    };
    const sb = await createSandbox({ runtime: lang, host, tools });
    const code = lang === "python" ? `from tools import fail\nfail(why="quota")` : `await tools.fail({ why: "quota" });`;
    const r = await sb.execute(code);
    expect(r.success).toBe(false);
    expect(r.stderr).toContain("upstream said: quota");
    expect(r.errorGuidance?.errorType ?? "").not.toBe("");
    expect(r.toolCalls).toEqual([{ name: "fail", args: { why: "quota" }, ok: false, ms: expect.any(Number), error: "ToolFailed: upstream said: quota" }]);
  });

  it.each(LANGS)("validates arguments with the zod schema and says what is wrong (%s)", async (lang) => {
    const sb = await createSandbox({ runtime: lang, host, tools: searchTools() });
    const code =
      lang === "python"
        ? `import tools\ntry:\n    tools.search(query=5)\nexcept tools.ToolError as e:\n    print(e.kind, e.args[0])`
        : `try { tools.sync.search({ query: 5 }); } catch (e) { console.log(e.kind, e.message); }`;
    const r = await sb.execute(code);
    expect(r.stdout).toBe("InvalidArguments query: Invalid input: expected string, received number\n");
  });

  it("offers the host's tools to every sandbox on it, a sandbox's own winning on a shared name", async () => {
    const shared = createSandboxHost({
      storage: memoryStorage(),
      tools: {
        whoami: defineTool({ description: "Host tool.", input: z.object({}), handler: () => "host" }),
        version: defineTool({ description: "Host version.", input: z.object({}), handler: () => 1 }),
      },
    });
    try {
      const own = { whoami: defineTool({ description: "Sandbox tool.", input: z.object({}), handler: () => "sandbox" }) };
      const a = await createSandbox({ runtime: "javascript", host: shared });
      const b = await createSandbox({ runtime: "javascript", host: shared, tools: own });
      const code = `console.log(tools.sync.whoami(), tools.sync.version());`;
      expect((await a.execute(code)).stdout).toBe("host 1\n");
      expect((await b.execute(code)).stdout).toBe("sandbox 1\n");
    } finally {
      await shared.close();
    }
  });

  it("logs every call as a tool.call event", async () => {
    const events: Record<string, unknown>[] = [];
    const logger = { debug() {}, info: (o: Record<string, unknown>) => void events.push(o), warn() {}, error() {} };
    const sb = await createSandbox({ runtime: "javascript", host, tools: searchTools(), logger });
    await sb.execute(`tools.sync.search({ query: "fuel" }); try { tools.sync.search({}); } catch {}`);
    const calls = events.filter((e) => e.event === LogEvent.TOOL_CALL);
    expect(calls.map((e) => [e.tool, e.ok])).toEqual([
      ["search", true],
      ["search", false],
    ]);
  });

  it("gives Python stubs a docstring with the signature and the descriptions", async () => {
    const sb = await createSandbox({ runtime: "python", host, tools: searchTools() });
    const r = await sb.execute(`from tools import search\nprint(search.__doc__)`);
    expect(r.stdout).toContain("search(query: string, limit=None: integer) -> { title: string, score: number }[]");
    expect(r.stdout).toContain("query: what to look for");
  });

  it("refuses tool names a language reserves, bad shapes and non-object inputs when the sandbox is created", async () => {
    const handler = () => null;
    await expect(createSandbox({ runtime: "javascript", host, tools: { then: { description: "x", input: z.object({}), handler } } })).rejects.toThrow(PolicyValidationError);
    await expect(createSandbox({ runtime: "javascript", host, tools: { "Bad-Name": { description: "x", input: z.object({}), handler } } })).rejects.toThrow(/lower-case/);
    await expect(createSandbox({ runtime: "javascript", host, tools: { s: { description: "x", input: z.string(), handler } } })).rejects.toThrow(/object schema/);
    await expect(createSandbox({ runtime: "javascript", host, tools: { s: { description: "x", input: {} as z.ZodType, handler } } })).rejects.toThrow(/zod schema/);
  });

  it("describes the tools for a system prompt, per language", () => {
    const text = describeTools(searchTools());
    expect(text).toContain("from tools import search, summarize");
    expect(text).toContain('await tools.search({ query: "…" })');
    expect(describeTools(searchTools(), ["javascript"])).not.toContain("from tools import");
    expect(text).toContain("- search(query: string, limit?: integer) -> { title: string, score: number }[]");
    expect(text).toContain("  query: what to look for");
    expect(describeTools({})).toBe("");
  });
});
