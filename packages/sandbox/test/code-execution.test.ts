import { recordingLogger } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeExecution, createSandbox, defineTool, foreignTools, LogEvent, memoryStorage, PolicyValidationError, renderCompactResult, toolIdentifier } from "../src/index.js";

describe("createCodeExecution", () => {
  it("runs the model's code and returns a compact result", async () => {
    const tool = createCodeExecution({ languages: ["python"] });
    const r = await tool.execute({ language: "python", code: "open('/app/out.txt', 'w').write('x')\nprint(6 * 7)" });
    expect(r).toMatchObject({ language: "python", success: true, exitCode: 0, stdout: "42\n", stderr: "", limit: null, error: null });
    expect(r.files).toEqual({ created: ["out.txt"], modified: [], deleted: [], unlisted: 0 });
    expect(renderCompactResult(r)).toMatch(/^python · exit 0 · \d+ ms\nstdout:\n42\nfiles \(in \/app\): \+ out\.txt$/);
    expect(tool.description).toContain("python: CPython 3.14");
  });

  it("offers only the configured languages (attack: a language outside the enum)", async () => {
    const tool = createCodeExecution({ languages: ["python", "lua"] });
    expect(tool.inputSchema.safeParse({ language: "lua", code: "print(1)" }).success).toBe(true);
    expect(tool.inputSchema.safeParse({ language: "ruby", code: "puts 1" }).success).toBe(false);
    await expect(tool.execute({ language: "ruby", code: "puts 1" })).rejects.toThrow(PolicyValidationError);
    await expect(tool.execute({ language: "python", code: "" })).rejects.toThrow(/code/);
  });

  it("runs every language in one session, so they share /app", async () => {
    const tool = createCodeExecution({ languages: ["python", "javascript"] });
    // First calls of both languages at once: the sandboxes are created one after the other, in one session.
    const [py, js] = await Promise.all([
      tool.execute({ language: "python", code: "open('/app/from-python.txt', 'w').write('hi from python')" }),
      tool.execute({ language: "javascript", code: "console.log(1)" }),
    ]);
    expect(py.success && js.success).toBe(true);
    const read = await tool.execute({ language: "javascript", code: "console.log(readText('/app/from-python.txt'))" });
    expect(read.stdout).toBe("hi from python\n");
    expect((await tool.sandboxFor("python")).sessionId).toBe(tool.sessionId);
    expect((await tool.sandboxFor("javascript")).sessionId).toBe(tool.sessionId);
  });

  it("clips a 3 MB print to the budget, head and tail, and says so (attack: output flood)", async () => {
    const tool = createCodeExecution({ languages: ["python"] });
    const r = await tool.execute({ language: "python", code: "print('START' + 'x' * 3_000_000 + 'END')" });
    expect(r.stdout.length).toBeLessThan(20_100);
    expect(r.stdout.startsWith("STARTxxx")).toBe(true);
    expect(r.stdout).toMatch(/\[… 1,980,\d{3} characters omitted …\]/);
    expect(r.stdoutOmittedChars).toBeGreaterThan(1_900_000);
    // The sandbox's 2 MB cap dropped the end ("END") before clipping; the model is told.
    expect(r.notes).toContain("stdout reached the sandbox's output cap; later output was dropped.");
    expect(renderCompactResult(r).length).toBeLessThan(21_000);
  });

  it("keeps the end of a long traceback and the error with guidance", async () => {
    const tool = createCodeExecution({ languages: ["python"], maxOutputChars: 500 });
    const r = await tool.execute({ language: "python", code: "for i in range(2000): print('line', i)\n1 / 0" });
    expect(r.success).toBe(false);
    expect(r.stdout).toContain("line 1999");
    expect(r.stdout).toContain("line 0\n");
    expect(r.error?.type).toBe("ZeroDivisionError");
    expect(r.error?.guidance.length).toBeGreaterThan(0);
    expect(r.stderr).toContain("ZeroDivisionError");
    expect(renderCompactResult(r)).toMatch(/python · failed · exit 1 · \d+ ms[\s\S]*error: ZeroDivisionError/);
  });

  it("words guidance for the model behind the tool: no policy field, CLI flag or package install it cannot use", async () => {
    const tight = createCodeExecution({ languages: ["python"], sandboxOptions: { storage: memoryStorage(), policy: { fuelBudget: 400_000_000, timeoutMs: 600_000 } } });
    const fuel = await tight.execute({ language: "python", code: "while True: pass" });
    expect(fuel.limit).toBe("out_of_fuel");
    expect(fuel.error?.guidance.join(" ")).toContain("split it across several calls");
    const tool = createCodeExecution({ languages: ["python"], sandboxOptions: { storage: memoryStorage() } });
    const missing = await tool.execute({ language: "python", code: "import requests" });
    expect(missing.error?.type).toBe("MissingPackage");
    const unsaved = await tool.execute({ language: "python", code: "print(counter)" });
    expect(unsaved.error?.guidance.join(" ")).toContain("write them to files under /app");
    for (const r of [fuel, missing, unsaved]) {
      expect(r.error?.guidance.join(" ")).not.toMatch(/policy\.|fuelBudget|autoPersistGlobals|--fuel|vendor add|install_package|execute_code|create_session/);
    }
  });

  it("takes the model's JSON as data only (attack: __proto__ key in the input)", async () => {
    const tool = createCodeExecution({ languages: ["python"] });
    const input = JSON.parse('{"language":"python","code":"print(1)","__proto__":{"polluted":true}}') as { language: string; code: string };
    const r = await tool.execute(input);
    expect(r.stdout).toBe("1\n");
    expect((({}) as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses code past the size limit with a typed error (attack: 11 MB program)", async () => {
    const tool = createCodeExecution({ languages: ["python"] });
    await expect(tool.execute({ language: "python", code: "#".repeat(11 * 1024 * 1024) })).rejects.toThrow(PolicyValidationError);
  });

  it("lists at most maxListedFiles changed paths (attack: file flood)", async () => {
    const tool = createCodeExecution({ languages: ["python"], maxListedFiles: 10 });
    const r = await tool.execute({ language: "python", code: "for i in range(300): open(f'/app/f{i}.txt', 'w').write('x')" });
    expect(r.files.created).toHaveLength(10);
    expect(r.files.unlisted).toBe(290);
    expect(renderCompactResult(r)).toContain("(290 more)");
  });

  it("an abort signal cancels the run (only the signal can stop it: fuel and time are far away)", async () => {
    const events: Record<string, unknown>[] = [];
    const logger = recordingLogger(events);
    const tool = createCodeExecution({
      languages: ["javascript"],
      sandboxOptions: { policy: { fuelBudget: Number.MAX_SAFE_INTEGER, timeoutMs: 600_000 }, logger },
    });
    await tool.execute({ language: "javascript", code: "1" }); // warm: the abort lands in the loop, not in start-up
    const controller = new AbortController();
    const running = tool.execute({ language: "javascript", code: "console.log('started'); for (;;) {}" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const r = await running;
    expect(r.limit).toBe("cancelled");
    expect(r.success).toBe(false);
    expect(events.some((e) => e.event === LogEvent.EXECUTION_COMPLETE && e.trapReason === "cancelled")).toBe(true);
  });

  it("uses a given sandbox and creates other languages in its session", async () => {
    const storage = memoryStorage();
    const lua = await createSandbox({ runtime: "lua", storage });
    await lua.execute("io.open('/app/n.txt', 'w'):write('7')");
    const tool = createCodeExecution({ sandbox: lua, languages: ["lua", "python"] });
    expect(tool.sessionId).toBe(lua.sessionId);
    const r = await tool.execute({ language: "python", code: "print(int(open('/app/n.txt').read()) * 6)" });
    expect(r.stdout).toBe("42\n");
    expect(await tool.sandboxFor("lua")).toBe(lua);
    expect(createCodeExecution({ sandbox: lua }).languages).toEqual(["lua"]);
  });

  it("offers host functions to every language it creates and tells the model how to call them in each", async () => {
    const search = defineTool({ description: "Searches.", input: z.object({ query: z.string() }), handler: ({ query }) => [`hit for ${query}`] });
    const tool = createCodeExecution({ languages: ["lua", "javascript"], tools: { search } });
    expect(tool.description).toContain('Lua: the global table `tools`: `tools.search{ query = "…" }`');
    expect(tool.description).toContain("JavaScript: the global `tools` object");
    expect(tool.description).not.toContain("from tools import");
    expect((await tool.execute({ language: "lua", code: 'print(tools.search{ query = "x" }[1])' })).stdout).toBe("hit for x\n");
    expect((await tool.execute({ language: "javascript", code: 'console.log(tools.sync.search({ query: "y" })[0])' })).stdout).toBe("hit for y\n");
    expect(createCodeExecution({ languages: ["python"] }).description).not.toContain("Host functions");
    const given = await createSandbox({ runtime: "python", storage: memoryStorage() });
    expect(() => createCodeExecution({ sandbox: given, tools: { search } })).toThrow(/not with `sandbox`/);
    expect(() => createCodeExecution({ tools: { "bad-name": search } })).toThrow(PolicyValidationError);
  });

  it("turns foreign tool definitions into host functions with identifier names and JSON Schema arguments", async () => {
    const tools = foreignTools([
      { name: "getWeather", description: "Weather.", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, invoke: ({ city }) => `sunny in ${String(city)}` },
      { name: "web-search", description: "", schema: z.object({}), invoke: () => [] },
    ]);
    expect(Object.keys(tools)).toEqual(["get_weather", "web_search"]);
    expect(toolIdentifier("then")).toBe("then_tool");
    expect(toolIdentifier("2fa")).toBe("tool_2fa");
    const tool = createCodeExecution({ languages: ["python"], tools });
    const r = await tool.execute({ language: "python", code: "import tools\nprint(tools.get_weather(city='Oslo'))\ntry:\n    tools.get_weather(town='x')\nexcept tools.ToolError as e:\n    print(e.kind)" });
    expect(r.stdout).toBe("sunny in Oslo\nInvalidArguments\n");
    expect(() => foreignTools([{ name: "a-b", description: "x", schema: z.object({}), invoke: () => 1 }, { name: "a_b", description: "x", schema: z.object({}), invoke: () => 1 }])).toThrow(/both become "a_b"/);
  });

  it("rejects bad options when the tool is made, not at the first call", () => {
    expect(() => createCodeExecution({ languages: [] })).toThrow(PolicyValidationError);
    expect(() => createCodeExecution({ languages: ["python", "python"] })).toThrow(/unique/);
    expect(() => createCodeExecution({ sandboxOptions: { policy: { fuelBudjet: 1 } as never } })).toThrow(/fuelBudjet/);
    expect(() => createCodeExecution({ sandboxOptions: { runtime: "lua" } as never })).toThrow(/runtime/);
    expect(() => createCodeExecution({ maxOutputChars: 5 })).toThrow(PolicyValidationError);
    expect(() => createCodeExecution({ extra: 1 } as never)).toThrow(/extra/);
    expect(() => createCodeExecution({ name: "run code; rm -rf" })).toThrow(/name/);
    expect(createCodeExecution({ name: "run_code" }).name).toBe("run_code");
  });
});
