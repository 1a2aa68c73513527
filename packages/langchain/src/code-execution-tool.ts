import { type DynamicStructuredTool, type StructuredToolInterface, tool } from "@langchain/core/tools";
import { type CodeExecutionInput, type CodeExecutionInputSchema, type CodeExecutionOptions, type CompactResult, createCodeExecution, renderCompactResult } from "llm-wasm-sandbox";
import { hostFunctionsFromLangChainTools } from "./host-functions.js";

/**
 * Options of `codeExecutionTool`: the framework-neutral `CodeExecutionOptions` (languages,
 * sandbox, sandboxOptions, output budget, description, name) and LangChain tools the
 * model's program may call.
 */
export type CodeExecutionToolOptions = Omit<CodeExecutionOptions, "tools"> & {
  /**
   * LangChain tools (`tool(fn, { name, description, schema })`, StructuredTool) the program
   * may call as host functions (code mode) — see `hostFunctionsFromLangChainTools`. The
   * description tells the model how.
   */
  readonly tools?: readonly StructuredToolInterface[];
};

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
  const { tools, ...rest } = options;
  const execution = createCodeExecution({ ...rest, ...(tools ? { tools: hostFunctionsFromLangChainTools(tools) } : {}) });
  return tool(
    async (input: CodeExecutionInput, config): Promise<[string, CompactResult]> => {
      const result = await execution.execute(input, config?.signal ? { signal: config.signal } : {});
      return [renderCompactResult(result), result];
    },
    { name: execution.name, description: execution.description, schema: execution.inputSchema, responseFormat: "content_and_artifact" },
  );
}
