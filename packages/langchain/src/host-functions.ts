import type { StructuredToolInterface } from "@langchain/core/tools";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { type ForeignTool, foreignTools, isZodSchema, PolicyValidationError, type ToolSet } from "llm-wasm-sandbox";

/**
 * LangChain.js tools (`tool(fn, { name, description, schema })`, `StructuredTool`,
 * `DynamicStructuredTool`) as sandbox host functions: the sandboxed program calls each by
 * its name (made an identifier: `get-weather` becomes `get_weather`), with arguments
 * checked against the tool's schema (a zod schema as is, any other through its JSON
 * Schema) and then by the tool itself (`tool.invoke(args, { signal })`). What the tool
 * returns comes back as JSON data; a string that holds a JSON object or array (LangChain
 * tools usually return text) is parsed first.
 * @throws PolicyValidationError for a tool without `invoke` or a schema, or names that collide.
 */
export function hostFunctionsFromLangChainTools(tools: readonly StructuredToolInterface[]): ToolSet {
  return foreignTools(tools.map(adapt), "tools");
}

function adapt(tool: StructuredToolInterface): ForeignTool {
  if (typeof tool?.invoke !== "function" || tool.schema === undefined) {
    throw new PolicyValidationError([{ path: `tools.${String(tool?.name)}`, message: "a LangChain tool with a schema (tool(fn, { schema }) or a StructuredTool) is needed" }], "tools");
  }
  const schema: unknown = tool.schema;
  return {
    name: tool.name,
    description: tool.description,
    schema: isZodSchema(schema) ? schema : (toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]) as Record<string, unknown>),
    async invoke(args, ctx) {
      const output: unknown = await tool.invoke(args, { signal: ctx.signal });
      return typeof output === "string" ? parsedText(output) : output;
    },
  };
}

function parsedText(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
