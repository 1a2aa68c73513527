export { defineTool, mergeTools, parseTools, toolNameProblem, MAX_TOOLS, type ToolContext, type ToolDefinition, type ToolSet } from "./define-tools.js";
export { describeTools, TOOL_LANGUAGES, type ToolLanguage } from "./describe-tools.js";
export { toolManifest, typeText, type ToolManifestEntry, type ToolParameter } from "./tool-manifest.js";
export { createToolRun, insideToolHandlerOf, RECORDED_ARGS_BYTES, type ToolRun, type ToolRunOptions } from "./tool-run.js";
export { foreignTools, isZodSchema, toolIdentifier, zodFromJsonSchema, type ForeignTool } from "./foreign-tools.js";
