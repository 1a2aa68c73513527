/**
 * OpenAI Agents SDK (JavaScript) adapter for llm-wasm-sandbox.
 * @packageDocumentation
 */
export { codeExecutionTool, type CodeExecutionToolOptions } from "./code-execution-tool.js";
export { hostFunctionsFromAgentTools, type AnyFunctionTool } from "./host-functions.js";
export type { CodeExecutionInput, CompactResult } from "llm-wasm-sandbox";
