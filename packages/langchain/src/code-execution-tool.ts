import { type DynamicStructuredTool, tool } from "@langchain/core/tools";
import { type CodeExecutionInput, type CodeExecutionInputSchema, type CodeExecutionOptions, type CompactResult, createCodeExecution, renderCompactResult } from "llm-wasm-sandbox";

/**
 * Options of `codeExecutionTool`: the framework-neutral `CodeExecutionOptions` (languages,
 * sandbox, sandboxOptions, output budget, description, name). (Code mode —
 * the agent's LangChain tools passed through as host functions — will arrive as a further
 * option.)
 */
export type CodeExecutionToolOptions = CodeExecutionOptions;

/**
 * A LangChain.js tool that runs the model's code in llm-wasm-sandbox.
 *
 * - schema: `{ language, code }` (zod; `language` is an enum of `languages`);
 * - one sandbox per language, created on first use, all in one session (one `/app`);
 * - `responseFormat: "content_and_artifact"`: the `ToolMessage`'s content is compact text
 *   for the model (stdout/stderr clipped head+tail, error and guidance, files changed),
 *   its `artifact` the structured `CompactResult` for your app;
 * - the run's `signal` (`agent.invoke(input, { signal })`) cancels the running program.
 *
 * ```ts
 * const agent = createAgent({ model, tools: [codeExecutionTool({ languages: ["python"] })] });
 * const { messages } = await agent.invoke({ messages: [{ role: "user", content: "What is 2**100?" }] });
 * ```
 * @throws PolicyValidationError for bad options.
 */
export function codeExecutionTool(options: CodeExecutionToolOptions = {}): DynamicStructuredTool<CodeExecutionInputSchema> {
  const execution = createCodeExecution(options);
  return tool(
    async (input: CodeExecutionInput, config): Promise<[string, CompactResult]> => {
      const result = await execution.execute(input, config?.signal ? { signal: config.signal } : {});
      return [renderCompactResult(result), result];
    },
    { name: execution.name, description: execution.description, schema: execution.inputSchema, responseFormat: "content_and_artifact" },
  );
}
