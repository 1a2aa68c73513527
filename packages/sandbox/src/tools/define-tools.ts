/**
 * Host functions ("code mode"): what a tool is, and the checks a tool set passes before
 * any guest sees it. A tool is data plus a handler — `{ description, input, output?,
 * handler }` with zod schemas — and its name becomes a function in every language
 * (`from tools import search`, `tools.search(...)`, `Tools.search(...)`,
 * `tools.search{...}`), so names are identifiers that none of those languages reserve.
 */
import { PolicyValidationError } from "@llm-wasm-sandbox/core";
import { z } from "zod";

/** What a handler gets besides its arguments. */
export interface ToolContext {
  /** Aborts when the call times out (`policy.toolTimeoutMs`) or the run ends (timeout, cancel, trap). */
  readonly signal: AbortSignal;
  /** The session whose run made the call. */
  readonly sessionId: string;
  /** The runtime of that run, e.g. `python`. */
  readonly runtime: string;
  /** The tool's name. */
  readonly tool: string;
}

/**
 * One host function. `input` validates the guest's arguments (an object schema: keyword
 * arguments in Python and Ruby, a table in Lua, an object in JavaScript); `output`, when
 * given, validates what the handler returns before the guest sees it. Results cross as
 * JSON: return plain data.
 */
export interface ToolDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** What the tool does, for the model (shown in the stubs' docs and `describeTools`). */
  readonly description: string;
  /** Schema of the arguments object. */
  readonly input: Input;
  /** Schema of the result; checked after the handler returns. */
  readonly output?: Output;
  /**
   * Runs the call on the main thread while the guest waits. Throwing fails the call: the
   * guest gets its language's exception with the message.
   */
  handler(args: z.output<Input>, ctx: ToolContext): unknown;
}

/** Tools by name. */
export type ToolSet = Readonly<Record<string, ToolDefinition>>;

/** Identity helper that infers a tool's argument type from its `input` schema. */
export function defineTool<Input extends z.ZodType, Output extends z.ZodType = z.ZodType>(tool: ToolDefinition<Input, Output>): ToolDefinition<Input, Output> {
  return tool;
}

/** Most tools one sandbox may have. */
export const MAX_TOOLS = 256;

const NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Names a tool may not take: keywords of Python, JavaScript, Ruby and Lua, members every
 * JavaScript object or Ruby module already has, `then` (it would make the JS `tools`
 * object a thenable), and the stubs' own helpers.
 */
const RESERVED = new Set(
  (
    // Python
    "and as assert async await break class continue def del elif else except false finally for from global if import in is lambda " +
    "none nonlocal not or pass raise return true try while with yield " +
    // JavaScript
    "case catch const debugger default delete do enum export extends function instanceof let new null super switch this throw " +
    "typeof var void arguments eval constructor prototype then tostring valueof hasownproperty " +
    // Ruby
    "alias begin defined ensure end module next nil redo rescue retry self undef unless until when name send hash inspect " +
    "methods freeze dup clone tap display extend object_id method_missing respond_to_missing instance_variables " +
    // Lua
    "elseif function goto local repeat " +
    // the stubs' helpers
    "call call_tool describe tool_error sync null"
  ).split(" "),
);

const ToolShape = z
  .object({
    description: z.string().min(1, "a tool needs a description (the model reads it)").max(4000),
    input: z.custom<z.ZodType>((v) => v instanceof z.ZodType, "input must be a zod schema (e.g. z.object({ query: z.string() }))"),
    output: z.custom<z.ZodType>((v) => v instanceof z.ZodType, "output must be a zod schema").optional(),
    handler: z.custom<ToolDefinition["handler"]>((v) => typeof v === "function", "handler must be a function"),
  })
  .strict();

/**
 * Checks a tool set: names, shapes, and that each input schema describes an object.
 * @throws PolicyValidationError naming the tool and what is wrong with it.
 */
export function parseTools(tools: unknown, label = "tools"): ToolSet {
  if (typeof tools !== "object" || tools === null || Array.isArray(tools)) {
    throw invalid(label, "expected an object of tools by name");
  }
  const entries = Object.entries(tools);
  if (entries.length > MAX_TOOLS) throw invalid(label, `at most ${MAX_TOOLS} tools`);
  const out: Record<string, ToolDefinition> = Object.create(null) as Record<string, ToolDefinition>;
  for (const [name, tool] of entries) {
    const problem = toolNameProblem(name);
    if (problem !== null) throw invalid(`${label}.${name}`, problem);
    const parsed = ToolShape.safeParse(tool);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join(".") || "tool"}: ${i.message}`).join("; ");
      throw invalid(`${label}.${name}`, message);
    }
    const kind = jsonSchemaType(parsed.data.input);
    if (kind !== "object") {
      const message = `input must be an object schema (arguments are passed by name), not ${kind}`;
      throw invalid(`${label}.${name}.input`, message);
    }
    out[name] = tool as ToolDefinition;
  }
  return Object.freeze(out);
}

/** Joins tool sets; later ones win on equal names (a sandbox's over its host's). */
export function mergeTools(...sets: ReadonlyArray<ToolSet | undefined>): ToolSet {
  const out: Record<string, ToolDefinition> = Object.create(null) as Record<string, ToolDefinition>;
  for (const set of sets) if (set) for (const [name, tool] of Object.entries(set)) out[name] = tool;
  return Object.freeze(out);
}

function invalid(path: string, message: string): PolicyValidationError {
  return new PolicyValidationError([{ path, message }], "tools");
}

/** Why `name` cannot be a tool's name, or null when it can. */
export function toolNameProblem(name: string): string | null {
  if (!NAME.test(name)) return "a tool name is lower-case letters, digits and '_', starting with a letter (at most 64 characters)";
  if (RESERVED.has(name)) return `"${name}" is reserved in one of the sandbox's languages or by the stubs; choose another name`;
  return null;
}

function jsonSchemaType(schema: z.ZodType): string {
  try {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { type?: unknown };
    return typeof json.type === "string" ? json.type : "a schema without a JSON type";
  } catch (error) {
    return `a schema JSON Schema cannot describe (${error instanceof Error ? error.message : String(error)})`;
  }
}
