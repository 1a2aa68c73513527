import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, describeTools, LogEvent, memoryStorage, PolicyValidationError, type SandboxHost } from "../../src/index.js";
import { CODE_MODE_CALLS, CODE_MODE_EXPECTED as EXPECTED, CODE_MODE_PROGRAMS as PROGRAMS } from "@llm-wasm-sandbox/testkit/code-mode";
import { searchTools } from "./fixtures.js";

const LANGS = ["python", "javascript", "ruby", "lua"] as const;

/** Per language: `fail(why: "quota")`, uncaught. */
const FAIL: Record<(typeof LANGS)[number], string> = {
  python: `from tools import fail\nfail(why="quota")`,
  javascript: `await tools.fail({ why: "quota" });`,
  ruby: `Tools.fail(why: "quota")`,
  lua: `tools.fail{ why = "quota" }`,
};

/** Per language: `search(query: 5)`, printing the failure's kind and message. */
const BAD_ARGS: Record<(typeof LANGS)[number], string> = {
  python: `import tools\ntry:\n    tools.search(query=5)\nexcept tools.ToolError as e:\n    print(e.kind, e.args[0])`,
  javascript: `try { tools.sync.search({ query: 5 }); } catch (e) { console.log(e.kind, e.message); }`,
  ruby: `begin\n  Tools.search(query: 5)\nrescue Tools::ToolError => e\n  puts "#{e.kind} #{e.message}"\nend`,
  lua: `local ok, e = pcall(tools.search, { query = 5 })\nprint(e.kind .. " " .. e.message)`,
};

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
    expect(log).toEqual(CODE_MODE_CALLS);
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
    const r = await sb.execute(FAIL[lang]);
    expect(r.success).toBe(false);
    expect(r.stderr).toContain("upstream said: quota");
    expect(r.errorGuidance?.errorType ?? "").not.toBe("");
    expect(r.toolCalls).toEqual([{ name: "fail", args: { why: "quota" }, ok: false, ms: expect.any(Number), error: "ToolFailed: upstream said: quota" }]);
  });

  it.each(LANGS)("validates arguments with the zod schema and says what is wrong (%s)", async (lang) => {
    const sb = await createSandbox({ runtime: lang, host, tools: searchTools() });
    const r = await sb.execute(BAD_ARGS[lang]);
    expect(r.stdout).toBe("InvalidArguments query: Invalid input: expected string, received number\n");
  });

  describe("JSON values in Ruby and Lua", () => {
    const roundTrip = (seen: unknown[]) => ({
      echo: defineTool({
        description: "Echoes its arguments with a few extra values.",
        input: z.record(z.string(), z.unknown()),
        handler: (args) => {
          seen.push(args);
          return { args, extra: { nothing: null, list: [1, null, "é"], empty_obj: {}, empty_list: [], float: 1.5, big: 2 ** 53 } };
        },
      }),
      nothing: defineTool({ description: "Returns null.", input: z.object({}), handler: () => null }),
    });
    const SENT = { name: "é☃😀", nested: [1, 2, { deep: true }], empty: [], f: 0.1 };

    it("Ruby: keyword arguments out; Hash with String keys, Array, nil back; non-JSON arguments refused", async () => {
      const seen: unknown[] = [];
      const sb = await createSandbox({ runtime: "ruby", host, tools: roundTrip(seen) });
      const r = await sb.execute(`r = Tools.echo(name: "é☃😀", nested: [1, 2, { deep: true }], empty: [], f: 0.1, sym: :open)
p r["extra"]["nothing"], r["extra"]["list"], r["extra"]["big"].class, r["args"]["sym"], r["args"]["nested"][2]
p Tools.nothing, Tools.echo({ "a" => 1 })["args"]
p Tools::ToolError.ancestors.include?(StandardError)
begin
  Tools.echo(x: Object.new)
rescue TypeError => e
  puts "TypeError: #{e.message}"
end
puts Tools.describe(:nothing)`);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(
        'nil\n[1, nil, "é"]\nInteger\n"open"\n{"deep" => true}\nnil\n{"a" => 1}\ntrue\n' +
          "TypeError: tool arguments must be JSON data (Hash, Array, String, Integer, Float, true, false, nil), not Object\n" +
          "Tools.nothing() -> unknown\nReturns null.\n",
      );
      expect(seen).toEqual([{ ...SENT, sym: "open" }, { a: 1 }]);
    });

    it("Lua: a table out; tables, tools.null inside and nil for a null result back; errors catchable with pcall", async () => {
      const seen: unknown[] = [];
      const sb = await createSandbox({ runtime: "lua", host, tools: roundTrip(seen) });
      const r = await sb.execute(`local r = tools.echo{ name = "é☃😀", nested = { 1, 2, { deep = true } }, empty = {}, f = 0.1 }
local x = r.extra
print(x.nothing == tools.null, x.list[2] == tools.null, #x.list, x.list[3], math.type(x.big), x.float, next(x.empty_obj), #x.empty_list)
print(r.args.name, r.args.nested[3].deep, #r.args.empty, r.args.f, tools.nothing{})
local again = tools.echo(r.args).args
print(#again.nested, again.nested[3].deep)
local ok, e = pcall(tools.echo, { f = 0/0 })
print(ok, e)
ok, e = pcall(tools.echo, "x")
print(ok, e)
print(tools.describe("nothing"))`);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(
        "true\ttrue\t3\té\tinteger\t1.5\tnil\t0\n" +
          "é☃😀\ttrue\t0\t0.1\tnil\n" +
          "3\ttrue\n" +
          "false\ttool arguments must be finite numbers, not -nan\n" +
          'false\techo takes one table of named arguments, e.g. tools.echo{ query = "x" }\n' +
          "tools.nothing{} -> unknown\nReturns null.\n",
      );
      expect(seen).toEqual([SENT, SENT]);
    });

    it("defines Tools (Ruby) and tools (Lua) only when the sandbox has tools", async () => {
      const ruby = await createSandbox({ runtime: "ruby", host });
      const lua = await createSandbox({ runtime: "lua", host });
      expect((await ruby.execute("p defined?(Tools)")).stdout).toBe("nil\n");
      expect((await lua.execute("print(tools)")).stdout).toBe("nil\n");
    });
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
    expect(text).toContain('Tools.search(query: "…")');
    expect(text).toContain('tools.search{ query = "…" }');
    expect(text).toContain('(import "llm_sandbox" "call"');
    expect(describeTools(searchTools(), ["javascript"])).not.toContain("from tools import");
    expect(describeTools(searchTools(), ["lua"])).not.toContain("Tools.search");
    expect(text).toContain("- search(query: string, limit?: integer) -> { title: string, score: number }[]");
    expect(text).toContain("  query: what to look for");
    expect(describeTools({})).toBe("");
  });
});
