/**
 * Tools from elsewhere as host functions: the framework adapters (AI SDK, OpenAI Agents,
 * LangChain.js) and the MCP server hand a framework's own tool definitions to the sandbox.
 * Each is reduced to a `ForeignTool` (name, description, argument schema, a way to run it),
 * renamed to an identifier every sandbox language accepts (`get-weather` → `get_weather`),
 * and checked like any tool set.
 */
import { PolicyValidationError } from "@llm-wasm-sandbox/core";
import { z } from "zod";
import { type ToolContext, type ToolDefinition, toolNameProblem, type ToolSet, parseTools } from "./define-tools.js";

/** A framework's tool, reduced to what a host function needs. */
export interface ForeignTool {
  /** The tool's name in its framework (renamed with `toolIdentifier` when it is not an identifier). */
  readonly name: string;
  readonly description: string;
  /**
   * Its arguments: a zod schema (used as is), or an object JSON Schema (turned into zod;
   * a schema zod cannot express accepts any object, and the framework validates).
   */
  readonly schema: z.ZodType | Readonly<Record<string, unknown>>;
  /** Runs the tool with the validated arguments; throwing fails the call in the guest. */
  invoke(args: Record<string, unknown>, ctx: ToolContext): unknown;
}

/**
 * Turns foreign tools into a tool set.
 * @throws PolicyValidationError when two tools get the same identifier, or a tool fails `parseTools`.
 */
export function foreignTools(tools: readonly ForeignTool[], label = "tools"): ToolSet {
  const out: Record<string, ToolDefinition> = {};
  const origin = new Map<string, string>();
  for (const tool of tools) {
    const name = toolIdentifier(tool.name);
    const clash = origin.get(name);
    if (clash !== undefined) {
      throw new PolicyValidationError([{ path: `${label}.${tool.name}`, message: `"${clash}" and "${tool.name}" both become "${name}" in the sandbox; rename one` }], "tools");
    }
    origin.set(name, tool.name);
    out[name] = {
      description: tool.description.trim() || tool.name,
      input: isZodSchema(tool.schema) ? tool.schema : zodFromJsonSchema(tool.schema),
      handler: (args, ctx) => tool.invoke(args as Record<string, unknown>, ctx),
    };
  }
  return parseTools(out, label);
}

/** Whether `value` is a zod (v4) schema of the zod this package uses. */
export function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

/** A name every sandbox language accepts: lower-case letters, digits and `_`, starting with a letter. */
export function toolIdentifier(name: string): string {
  let id = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 56);
  if (!/^[a-z]/.test(id)) id = `tool_${id}`;
  return toolNameProblem(id) === null ? id : `${id}_tool`;
}

/** An object JSON Schema as zod (checked on the host before the tool sees the arguments). */
export function zodFromJsonSchema(schema: Readonly<Record<string, unknown>>): z.ZodType {
  try {
    const converted = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    if (converted instanceof z.ZodObject) return converted;
  } catch {
    // A schema zod cannot express: the tool's own framework validates its arguments.
  }
  return z.looseObject({});
}
