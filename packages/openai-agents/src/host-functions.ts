import { type FunctionTool, RunContext } from "@openai/agents-core";
import { type ForeignTool, foreignTools, PolicyValidationError, type ToolSet } from "llm-wasm-sandbox";

/** Any function tool, whatever its context, parameters and result types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FunctionTool's type parameters are invariant.
export type AnyFunctionTool = FunctionTool<any, any, any>;

/**
 * OpenAI Agents SDK function tools (`tool({ name, description, parameters, execute })`) as
 * sandbox host functions: the sandboxed program calls each by its name (made an
 * identifier: `get-weather` becomes `get_weather`), with arguments checked against the
 * tool's JSON Schema and then by the tool itself, and gets what the tool's `invoke`
 * returns. Calls go through `invoke` with a fresh `RunContext` and the call's abort signal,
 * so the tool's own parsing, timeout and `errorFunction` apply: `tool()`'s default
 * `errorFunction` turns an error into a message string the program receives as the
 * result; give the tool `errorFunction: null` to have the program's call raise instead.
 * A tool whose `needsApproval` says yes is refused (a program cannot approve), and agent
 * guardrails do not run (there is no agent turn).
 * @throws PolicyValidationError for a tool that is not a function tool, or names that collide.
 */
export function hostFunctionsFromAgentTools(tools: readonly AnyFunctionTool[]): ToolSet {
  return foreignTools(tools.map(adapt), "tools");
}

let calls = 0;

function adapt(tool: AnyFunctionTool): ForeignTool {
  if (tool?.type !== "function" || typeof tool.invoke !== "function") {
    throw new PolicyValidationError([{ path: `tools.${String(tool?.name)}`, message: "only function tools (tool({ … })) can be host functions" }], "tools");
  }
  return {
    name: tool.name,
    description: tool.description,
    schema: tool.parameters as Record<string, unknown>,
    async invoke(args, ctx) {
      const runContext = new RunContext();
      const callId = `sandbox-${++calls}`;
      if (await tool.needsApproval(runContext, args, callId)) throw new Error(`${tool.name} needs approval, which a program cannot give`);
      return tool.invoke(runContext, JSON.stringify(args), { signal: ctx.signal });
    },
  };
}
