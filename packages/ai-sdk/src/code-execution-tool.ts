import type { Tool } from "ai";
import { type CodeExecutionInput, type CodeExecutionOptions, type CompactResult, createCodeExecution, renderCompactResult } from "llm-wasm-sandbox";

/**
 * Options of `codeExecutionTool`: which sandbox(es) or languages, how to create the
 * sandboxes, how much output the model gets. The tool's name is its key in `tools`. (Code mode — the AI SDK tools passed
 * through as host functions — will arrive as a further option.)
 */
export type CodeExecutionToolOptions = Omit<CodeExecutionOptions, "name">;

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
  const execution = createCodeExecution(options);
  return {
    description: execution.description,
    inputSchema: execution.inputSchema,
    execute: (input, { abortSignal }) => execution.execute(input, abortSignal ? { signal: abortSignal } : {}),
    toModelOutput: ({ output }) => ({ type: "text", value: renderCompactResult(output) }),
  };
}
