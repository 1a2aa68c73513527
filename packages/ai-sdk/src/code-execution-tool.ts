import type { Tool, ToolSet as AiToolSet } from "ai";
import { type CodeExecutionInput, type CodeExecutionOptions, type CompactResult, createCodeExecution, renderCompactResult } from "llm-wasm-sandbox";
import { hostFunctionsFromAiTools } from "./host-functions.js";

/**
 * Options of `codeExecutionTool`: which sandbox(es) or languages, how to create the
 * sandboxes, how much output the model gets, and AI SDK tools the model's program may
 * call. The tool's name is its key in `tools`.
 */
export type CodeExecutionToolOptions = Omit<CodeExecutionOptions, "name" | "tools"> & {
  /**
   * AI SDK tools (`tool({ description, inputSchema, execute })`) the program may call as
   * host functions (code mode): `search(query="x")` in Python, `await tools.search({ … })`
   * in JavaScript, … — see `hostFunctionsFromAiTools`. The description tells the model how.
   */
  readonly tools?: AiToolSet;
};

/**
 * An AI SDK tool that runs the model's code in llm-wasm-sandbox.
 *
 * - input: `{ language, code }` (a zod schema; `language` is an enum of `languages`);
 * - one sandbox per language, created on first use, all in one session (one `/app`);
 * - output: a `CompactResult` (stdout/stderr clipped head+tail, error and guidance,
 *   files changed) — what your app and UI see;
 * - `toModelOutput`: the same as compact text — what the model reads;
 * - the call's `abortSignal` cancels the run.
 *
 * ```ts
 * const { text } = await generateText({
 *   model,
 *   tools: { execute_code: codeExecutionTool({ languages: ["python", "javascript"] }) },
 *   stopWhen: stepCountIs(5),
 *   prompt: "What is the 30th Fibonacci number? Compute it.",
 * });
 * ```
 * @throws PolicyValidationError for bad options.
 */
export function codeExecutionTool(options: CodeExecutionToolOptions = {}): Tool<CodeExecutionInput, CompactResult> {
  const { tools, ...rest } = options;
  const execution = createCodeExecution({ ...rest, ...(tools ? { tools: hostFunctionsFromAiTools(tools) } : {}) });
  return {
    description: execution.description,
    inputSchema: execution.inputSchema,
    execute: (input, { abortSignal }) => execution.execute(input, abortSignal ? { signal: abortSignal } : {}),
    toModelOutput: ({ output }) => ({ type: "text", value: renderCompactResult(output) }),
  };
}
