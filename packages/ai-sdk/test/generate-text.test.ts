import * as ai7 from "ai";
import { MockLanguageModelV4 } from "ai/test";
import * as ai6 from "ai-v6";
import { MockLanguageModelV3 } from "ai-v6/test";
import { LogEvent, memoryStorage, readSessionFile } from "llm-wasm-sandbox";
import { recordingLogger } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it, vi } from "vitest";
import { codeExecutionTool } from "../src/index.js";
import { lastToolResultText, type ModelStep, type PromptMessage, scriptedGenerate } from "./mock-model.js";

type GenerateText = typeof ai7.generateText;
const majors = [
  { name: "ai@7", generateText: ai7.generateText, stepCountIs: ai7.stepCountIs, model: (steps: ModelStep[]) => new MockLanguageModelV4({ doGenerate: scriptedGenerate(steps) as never }) },
  {
    name: "ai@6",
    generateText: ai6.generateText as unknown as GenerateText,
    stepCountIs: ai6.stepCountIs as unknown as typeof ai7.stepCountIs,
    model: (steps: ModelStep[]) => new MockLanguageModelV3({ doGenerate: scriptedGenerate(steps) as never }) as never,
  },
];

describe.each(majors)("codeExecutionTool with generateText ($name, mock model, no network)", ({ generateText, stepCountIs, model }) => {
  it("the model calls the tool, the code runs, and the model reads the compact result", async () => {
    let seen = "";
    const storage = memoryStorage();
    const tool = codeExecutionTool({ languages: ["python", "javascript"], sandboxOptions: { storage, sessionId: "chat-1" } });
    const result = await generateText({
      model: model([
        { toolCall: { name: "execute_code", input: { language: "python", code: "open('/app/fib.txt', 'w').write('832040')\nprint(sum(range(10)))" } } },
        { text: (prompt: readonly PromptMessage[]) => (seen = lastToolResultText(prompt)) && "The sum is 45." },
      ]),
      tools: { execute_code: tool },
      stopWhen: stepCountIs(3),
      prompt: "Add the numbers 0 to 9.",
    });
    expect(result.text).toBe("The sum is 45.");
    // What the model read: the text from toModelOutput.
    expect(seen).toMatch(/^python · exit 0 · \d+ ms\nstdout:\n45\nfiles \(in \/app\): \+ fib\.txt$/);
    // What the app sees: the structured compact result.
    const toolResult = result.steps[0]!.toolResults[0]!;
    expect(toolResult.output).toMatchObject({ language: "python", success: true, stdout: "45\n", files: { created: ["fib.txt"] } });
    expect(new TextDecoder().decode(await readSessionFile("chat-1", "fib.txt", { storage }))).toBe("832040");
  });

  it("sends the model a description and a JSON schema with the languages as an enum", async () => {
    let tools: unknown;
    const m = model([{ text: () => "no tools needed" }]);
    const inner = m.doGenerate.bind(m);
    m.doGenerate = (options: Parameters<typeof inner>[0]) => ((tools = options.tools), inner(options));
    await generateText({ model: m, tools: { execute_code: codeExecutionTool({ languages: ["lua", "python"] }) }, prompt: "hi" });
    const [def] = tools as { name: string; description: string; inputSchema: { properties: Record<string, { enum?: string[] }>; required: string[] } }[];
    expect(def!.name).toBe("execute_code");
    expect(def!.description).toContain("Run lua, python code in an isolated WebAssembly sandbox");
    expect(def!.inputSchema.properties.language!.enum).toEqual(["lua", "python"]);
    expect(def!.inputSchema.required.sort()).toEqual(["code", "language"]);
  });

  it("a failing program comes back to the model as a result with the error and guidance", async () => {
    let seen = "";
    await generateText({
      model: model([
        { toolCall: { name: "execute_code", input: { language: "javascript", code: "const rows = null;\nrows.length" } } },
        { text: (prompt: readonly PromptMessage[]) => (seen = lastToolResultText(prompt)) && "ok" },
      ]),
      tools: { execute_code: codeExecutionTool({ languages: ["javascript"] }) },
      stopWhen: stepCountIs(3),
      prompt: "Count the rows.",
    });
    expect(seen).toMatch(/^javascript · failed · exit 1/);
    expect(seen).toContain("error: TypeError: cannot read property 'length' of null");
  });

  it("a language outside the enum never reaches a sandbox (attack: the model asks for another runtime)", async () => {
    const result = await generateText({
      model: model([{ toolCall: { name: "execute_code", input: { language: "ruby", code: "puts 1" } } }, { text: () => "gave up" }]),
      tools: { execute_code: codeExecutionTool({ languages: ["python"] }) },
      stopWhen: stepCountIs(3),
      prompt: "Use ruby.",
    });
    const errors = result.steps[0]!.content.filter((p) => p.type === "tool-error");
    expect(errors).toHaveLength(1);
    expect(result.steps[0]!.toolResults).toHaveLength(0);
  });

  it("aborting generateText cancels the running code (the run stops; nothing else would stop it)", async () => {
    const events: Record<string, unknown>[] = [];
    const controller = new AbortController();
    const logger = recordingLogger(events, (e) => {
      if (e.event === LogEvent.EXECUTION_START && e.codeBytes !== 1) setTimeout(() => controller.abort(), 200);
    });
    const tool = codeExecutionTool({
      languages: ["javascript"],
      sandboxOptions: { logger, policy: { fuelBudget: Number.MAX_SAFE_INTEGER, timeoutMs: 600_000 } },
    });
    await tool.execute!({ language: "javascript", code: "1" }, { toolCallId: "warm", messages: [], context: {} } as never);
    const run = generateText({
      model: model([{ toolCall: { name: "execute_code", input: { language: "javascript", code: "for (;;) {}" } } }, { text: () => "unreachable" }]),
      tools: { execute_code: tool },
      stopWhen: stepCountIs(3),
      prompt: "Loop forever.",
      abortSignal: controller.signal,
    });
    await expect(run).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(events.some((e) => e.event === LogEvent.EXECUTION_COMPLETE && e.trapReason === "cancelled")).toBe(true), { timeout: 30_000 });
  });
});
