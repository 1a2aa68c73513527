/**
 * The manifest of a tool set: per tool its name, description, parameters and result, as
 * plain JSON derived from the zod schemas (through JSON Schema). The guest's stubs are
 * built from it (it travels to the worker as JSON text), and `describeTools` renders it.
 */
import { z } from "zod";
import type { ToolSet } from "./define-tools.js";

/** One parameter of a tool, as the stubs document it. */
export interface ToolParameter {
  readonly name: string;
  /** Short JSON type text: `string`, `integer`, `string[]`, `"a" | "b"`, `object`, … */
  readonly type: string;
  readonly required: boolean;
  readonly description?: string;
}

/** One tool, as the stubs and `describeTools` see it. */
export interface ToolManifestEntry {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ToolParameter[];
  /** Short JSON type text of the result (`unknown` without an output schema). */
  readonly returns: string;
  /** The arguments' JSON Schema. */
  readonly inputSchema: Record<string, unknown>;
}

type JsonSchema = Record<string, unknown>;

/** Builds the manifest of `tools`, sorted by name. */
export function toolManifest(tools: ToolSet): ToolManifestEntry[] {
  return Object.keys(tools)
    .sort()
    .map((name) => {
      const tool = tools[name]!;
      const input = toJson(tool.input, "input");
      const props = isRecord(input.properties) ? input.properties : {};
      const required = new Set(Array.isArray(input.required) ? input.required.filter((r): r is string => typeof r === "string") : []);
      const parameters = Object.entries(props).map(([param, schema]) => {
        const s = isRecord(schema) ? schema : {};
        return {
          name: param,
          type: typeText(s),
          required: required.has(param),
          ...(typeof s.description === "string" ? { description: s.description } : {}),
        };
      });
      return {
        name,
        description: tool.description,
        parameters,
        returns: tool.output ? typeText(toJson(tool.output, "output")) : "unknown",
        inputSchema: input,
      };
    });
}

/** Short type text of a JSON Schema (for docs, not for validation). */
export function typeText(schema: JsonSchema, depth = 0): string {
  if (depth > 3) return "…";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return options.filter(isRecord).map((o) => typeText(o, depth + 1)).join(" | ");
  }
  const type = schema.type;
  if (Array.isArray(type)) return type.join(" | ");
  if (type === "array") return `${isRecord(schema.items) ? wrap(typeText(schema.items, depth + 1)) : "unknown"}[]`;
  if (type === "object") {
    const props = isRecord(schema.properties) ? Object.entries(schema.properties) : [];
    if (props.length === 0) return "object";
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const fields = props.slice(0, 12).map(([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${isRecord(v) ? typeText(v, depth + 1) : "unknown"}`);
    return `{ ${fields.join(", ")}${props.length > 12 ? ", …" : ""} }`;
  }
  return typeof type === "string" ? type : "unknown";
}

function wrap(text: string): string {
  return text.includes(" | ") ? `(${text})` : text;
}

function toJson(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

function isRecord(v: unknown): v is JsonSchema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
