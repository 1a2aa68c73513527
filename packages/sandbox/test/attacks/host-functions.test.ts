/**
 * Attacks on host functions (code mode), through createSandbox in every runtime with
 * stubs (raw WebAssembly through its `llm_sandbox.call` import): a flood of calls, huge arguments, reentrancy, a handler that never returns,
 * calling an undeclared tool, and prototype-pollution shapes in the JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, memoryStorage, type SandboxHost, type ToolSet } from "../../src/index.js";
import { callProgram, outcomes, TOOL_LANGS } from "../tools/guest-calls.js";

const LANGS = TOOL_LANGS;

const POLICY = { fuelBudget: 4_000_000_000, timeoutMs: 60_000 };

/** Per language (but raw WebAssembly): call the undeclared `rm_rf`, then look for a stub of it. */
const UNDECLARED: Record<Exclude<(typeof LANGS)[number], "wasm">, string> = {
  python: `import tools\ntry:\n    tools.call_tool("rm_rf", {})\nexcept tools.ToolError as e:\n    print(e.kind, e)\ntry:\n    from tools import rm_rf\nexcept ImportError:\n    print("ImportError")`,
  javascript: `console.log(typeof tools.rm_rf, typeof tools.sync.rm_rf, Object.keys(tools).join(","));`,
  ruby: `begin\n  Tools.call_tool("rm_rf", {})\nrescue Tools::ToolError => e\n  puts "#{e.kind} #{e.message}"\nend\nputs Tools.respond_to?(:rm_rf)`,
  lua: `local ok, e = pcall(tools.call, "rm_rf", {})\nprint(e.kind .. " " .. e.message)\nprint(tools.rm_rf)`,
};

describe.each(LANGS)("host-function attacks in %s", (lang) => {
  let host: SandboxHost;
  beforeAll(() => {
    host = createSandboxHost({ storage: memoryStorage(), pool: { size: 2 } });
  });
  afterAll(async () => {
    await host.close();
  });

  const echoTools = (seen: unknown[] = []): ToolSet => ({
    echo: defineTool({
      description: "Echoes its text.",
      input: z.object({ text: z.string() }).passthrough(),
      handler: (args) => {
        seen.push(args);
        return { length: args.text.length };
      },
    }),
  });

  it("stops a flood of calls at maxToolCalls in the worker: the handler runs only that often", async () => {
    const seen: unknown[] = [];
    const sb = await createSandbox({ runtime: lang, host, tools: echoTools(seen), policy: { ...POLICY, maxToolCalls: 5 } });
    const r = await sb.execute(callProgram(lang, [{ call: "echo", args: { json: { text: "hi" } }, times: 500 }]));
    const lines = outcomes(r.stdout).trim().split("\n");
    expect(lines.slice(0, 5)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(new Set(lines.slice(5))).toEqual(new Set(["ToolBudgetExceeded"]));
    expect(lines).toHaveLength(500);
    expect(seen).toHaveLength(5);
    expect(r.toolCalls).toHaveLength(5);
  });

  it("refuses huge arguments before the host parses them, and passes big ones under the cap", async () => {
    const seen: unknown[] = [];
    const sb = await createSandbox({ runtime: lang, host, tools: echoTools(seen), policy: { ...POLICY, maxToolArgsBytes: 200_000 } });
    const r = await sb.execute(callProgram(lang, [{ call: "echo", args: { bigText: 150_000 } }, { call: "echo", args: { bigText: 3_000_000 } }]));
    expect(outcomes(r.stdout)).toBe("ok\nToolArgumentsTooLarge\n");
    expect(seen).toHaveLength(1);
    expect(r.toolCalls.map((c) => c.args)).toEqual([{ $truncated: 150_011 }]);
  });

  it("refuses a reentrant execute of the same session from a handler instead of deadlocking", async () => {
    const errors: string[] = [];
    let sandboxRef: { execute(code: string): Promise<unknown> } | null = null;
    const tools: ToolSet = {
      again: defineTool({
        description: "Runs code in the calling session.",
        input: z.object({}),
        handler: async () => {
          try {
            await sandboxRef!.execute("print(1)");
          } catch (error) {
            errors.push((error as Error).message);
            throw error;
          }
        },
      }),
    };
    const sb = await createSandbox({ runtime: lang, host, tools, policy: POLICY });
    sandboxRef = sb;
    const r = await sb.execute(callProgram(lang, [{ call: "again" }]));
    expect(outcomes(r.stdout)).toBe("ToolFailed\n");
    expect(errors[0]).toMatch(/from one of its own tool handlers/);
    expect(r.toolCalls[0]?.error).toMatch(/would wait forever/);
  });

  it("times out a handler that never returns, aborting its signal, and the guest goes on", async () => {
    let aborted: unknown = null;
    const tools: ToolSet = {
      hang: defineTool({
        description: "Never answers.",
        input: z.object({}),
        handler: (_args, ctx) =>
          new Promise(() => {
            ctx.signal.addEventListener("abort", () => (aborted = ctx.signal.reason));
          }),
      }),
    };
    const sb = await createSandbox({ runtime: lang, host, tools, policy: { ...POLICY, toolTimeoutMs: 300 } });
    const r = await sb.execute(callProgram(lang, [{ call: "hang" }, { print: "after" }]));
    expect(outcomes(r.stdout)).toBe("ToolTimeout\nafter\n");
    expect(r.success).toBe(true);
    expect(String(aborted)).toMatch(/did not answer within 300 ms/);
  });

  it("ends a run whose handler never answers when the caller cancels, aborting the handler", async () => {
    // The caller's cancel rather than the wall clock: the run ends only once the call is
    // pending, so the test does not race start-up against a timeout.
    const cancel = new AbortController();
    let aborted = false;
    const tools: ToolSet = {
      hang: defineTool({
        description: "Never answers.",
        input: z.object({}),
        handler: (_args, ctx) =>
          new Promise(() => {
            ctx.signal.addEventListener("abort", () => (aborted = true));
            cancel.abort();
          }),
      }),
    };
    const sb = await createSandbox({ runtime: lang, host, tools, policy: { ...POLICY, toolTimeoutMs: 3_600_000 } });
    const r = await sb.execute(callProgram(lang, [{ call: "hang" }]), { signal: cancel.signal });
    expect(r.trapReason).toBe("cancelled");
    expect(aborted).toBe(true);
    expect(r.toolCalls).toEqual([expect.objectContaining({ name: "hang", ok: false, error: expect.stringContaining("RunEnded") })]);
  });

  it("answers a call to an undeclared tool with UnknownTool naming the available ones", async () => {
    const sb = await createSandbox({ runtime: lang, host, tools: echoTools(), policy: POLICY });
    const r = await sb.execute(lang === "wasm" ? callProgram(lang, [{ call: "rm_rf" }]) : UNDECLARED[lang]);
    const reply = 'no host function "rm_rf"; available: echo';
    const expected: Record<typeof lang, string> = {
      python: `UnknownTool rm_rf: UnknownTool: ${reply}\nImportError\n`,
      javascript: "undefined undefined echo,sync,ToolError\n",
      ruby: `UnknownTool ${reply}\nfalse\n`,
      lua: `UnknownTool ${reply}\nnil\n`,
      wasm: `${JSON.stringify({ ok: false, error: { name: "UnknownTool", message: reply } })}\n`,
    };
    expect(r.stdout).toBe(expected[lang]);
  });

  it("keeps prototype-pollution shapes in the JSON away from every prototype", async () => {
    const seen: unknown[] = [];
    const tools: ToolSet = {
      merge: defineTool({
        description: "Merges a patch into defaults.",
        input: z.record(z.string(), z.unknown()),
        handler: (args) => {
          seen.push(args);
          const merged = Object.assign({}, args) as Record<string, unknown>;
          return { keys: Object.keys(merged), polluted: ({} as Record<string, unknown>).polluted ?? null };
        },
      }),
    };
    const sb = await createSandbox({ runtime: lang, host, tools, policy: POLICY });
    const payload = `{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "a": 1}`;
    const code: Record<typeof lang, string> = {
      python: `import json, tools\nprint(json.dumps(tools.call_tool("merge", json.loads(${JSON.stringify(payload)}))))`,
      javascript: `console.log(JSON.stringify(tools.sync.merge(JSON.parse(${JSON.stringify(payload)}))));`,
      ruby: `puts JSON.generate(Tools.call_tool("merge", JSON.parse(${JSON.stringify(payload)})))`,
      // Lua has no JSON of its own: the result's fields are printed as JSON by hand.
      lua: `local r = tools.merge{ ["__proto__"] = { polluted = "yes" }, constructor = { prototype = { polluted = "yes" } }, a = 1 }
table.sort(r.keys)
print('{"keys":["' .. table.concat(r.keys, '","') .. '"],"polluted":' .. (r.polluted == tools.null and "null" or "?") .. "}")`,
      wasm: callProgram("wasm", [{ call: "merge", args: { json: JSON.parse(payload) as Record<string, unknown> } }]),
    };
    const r = await sb.execute(code[lang]);
    expect(r.success).toBe(true);
    const printed = JSON.parse(r.stdout) as { keys: string[]; polluted: unknown; value?: { keys: string[]; polluted: unknown } };
    const result = lang === "wasm" ? printed.value! : printed;
    // Lua tables have no key order; the keys that reached the handler are what matters.
    expect({ ...result, keys: [...result.keys].sort() }).toEqual({ keys: ["a", "constructor"], polluted: null });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(seen[0])).toBe(Object.prototype);
  });

  it("caps results at maxToolResultBytes and refuses results that are not JSON", async () => {
    const tools: ToolSet = {
      big: defineTool({ description: "A big result.", input: z.object({}), handler: () => "y".repeat(5000) }),
      bigint: defineTool({ description: "Not JSON.", input: z.object({}), handler: () => ({ n: 10n }) }),
    };
    const sb = await createSandbox({ runtime: lang, host, tools, policy: { ...POLICY, maxToolResultBytes: 1000 } });
    const r = await sb.execute(callProgram(lang, [{ call: "big" }, { call: "bigint" }]));
    expect(outcomes(r.stdout)).toBe("ToolResultTooLarge\nInvalidResult\n");
  });

  it("spends no fuel while the guest waits for a slow handler", async () => {
    const slow = (ms: number): ToolSet => ({
      wait: defineTool({ description: "Answers after a while.", input: z.object({}), handler: () => new Promise((resolve) => setTimeout(() => resolve(1), ms)) }),
    });
    const code = callProgram(lang, [{ call: "wait", times: 3 }]);
    const policy = { ...POLICY, deterministic: true };
    const fast = await (await createSandbox({ runtime: lang, host, tools: slow(0), policy })).execute(code);
    const slowRun = await (await createSandbox({ runtime: lang, host, tools: slow(250), policy })).execute(code);
    expect(outcomes(fast.stdout)).toBe("ok\nok\nok\n");
    expect(slowRun.stdout).toBe(fast.stdout);
    expect(slowRun.fuelConsumed).toBe(fast.fuelConsumed);
  });
});
