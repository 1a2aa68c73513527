/**
 * LangChain.js adapter for llm-wasm-sandbox.
 * @packageDocumentation
 */
export { codeExecutionTool, type CodeExecutionToolOptions } from "./code-execution-tool.js";
export { hostFunctionsFromLangChainTools } from "./host-functions.js";
export type { CodeExecutionInput, CompactResult } from "llm-wasm-sandbox";
