import { type FunctionTool, tool } from "@openai/agents-core";
import { type CodeExecutionInputSchema, type CodeExecutionOptions, type CompactResult, createCodeExecution, renderCompactResult } from "llm-wasm-sandbox";
import { type AnyFunctionTool, hostFunctionsFromAgentTools } from "./host-functions.js";

/** Structured results kept for output items not built yet. */
const MAX_PENDING = 256;

/**
 * Options of `codeExecutionTool`: the framework-neutral `CodeExecutionOptions` (languages,
 * sandbox, sandboxOptions, output budget, description, name) and function tools the
 * model's program may call.
 */
export type CodeExecutionToolOptions = Omit<CodeExecutionOptions, "tools"> & {
  /**
   * Function tools (`tool({ name, parameters, execute })`) the program may call as host
   * functions (code mode) — see `hostFunctionsFromAgentTools`. The description tells the model how.
   */
  readonly tools?: readonly AnyFunctionTool[];
};

/**
 * An OpenAI Agents SDK function tool that runs the model's code in llm-wasm-sandbox.
 *
 * - parameters: `{ language, code }` (a strict zod schema; `language` is an enum);
 * - one sandbox per language, created on first use, all in one session (one `/app`);
 * - the model reads compact text (stdout/stderr clipped head+tail, error and guidance,
 *   files changed); your app gets the structured `CompactResult` as the tool output
 *   item's `customData` (`result.newItems`);
 * - the run's `signal` (`run(agent, input, { signal })`) cancels the running program.
 *
 * ```ts
 * const agent = new Agent({ name: "Analyst", tools: [codeExecutionTool({ languages: ["python"] })] });
 * const result = await run(agent, "What is 2**100? Compute it.");
 * ```
 * @throws PolicyValidationError for bad options.
 */
export function codeExecutionTool(options: CodeExecutionToolOptions = {}): FunctionTool<unknown, CodeExecutionInputSchema, string> {
  const { tools, ...rest } = options;
  const execution = createCodeExecution({ ...rest, ...(tools ? { tools: hostFunctionsFromAgentTools(tools) } : {}) });
  // The structured result of each call, until the SDK asks for the output item's custom data.
  const pending = new Map<string, CompactResult>();
  return tool({
    name: execution.name,
    description: execution.description,
    parameters: execution.inputSchema,
    strict: true,
    async execute(input, _context, details) {
      const result = await execution.execute(input, details?.signal ? { signal: details.signal } : {});
      const callId = details?.toolCall?.callId;
      if (callId !== undefined) {
        pending.set(callId, result);
        // Bounded: a result whose output item is never built (an aborted run) is dropped eventually.
        if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value as string);
      }
      return renderCompactResult(result);
    },
    customDataExtractor: ({ toolCall }) => {
      const result = pending.get(toolCall.callId);
      pending.delete(toolCall.callId);
      return result ? { result } : undefined;
    },
  });
}
