import { asSchema, type Tool, type ToolSet as AiToolSet } from "ai";
import { type ForeignTool, foreignTools, isZodSchema, PolicyValidationError, type ToolContext, type ToolSet } from "llm-wasm-sandbox";

/**
 * AI SDK tools (`tool({ description, inputSchema, execute })`, or `parameters` from older
 * releases) as sandbox host functions: the sandboxed program calls each by its key
 * (`get-weather` becomes `get_weather`), with arguments checked against the tool's own
 * schema (a zod schema as is; any other schema through its JSON Schema, then its
 * `validate`), and gets what `execute` returns (the last value of a streaming tool).
 * `execute` receives the call's abort signal as `abortSignal`. Tools without `execute`
 * (client-side tools) and tools that need approval cannot run inside a program.
 * @throws PolicyValidationError for a tool without `execute`, a schema without a synchronous
 *   JSON Schema, or names that collide.
 */
export function hostFunctionsFromAiTools(tools: AiToolSet): ToolSet {
  return foreignTools(
    Object.entries(tools).map(([name, tool]) => adapt(name, tool)),
    "tools",
  );
}

let calls = 0;

function adapt(name: string, tool: Tool): ForeignTool {
  const spec = tool as Tool & { parameters?: unknown; needsApproval?: unknown };
  const execute = spec.execute;
  if (typeof execute !== "function") throw refusal(name, "has no execute function (a client-side tool cannot run inside a program)");
  const given = spec.inputSchema ?? spec.parameters;
  const schema = asSchema(given as Parameters<typeof asSchema>[0]);
  const zod = isZodSchema(given);
  const json = zod ? null : schema.jsonSchema;
  if (json !== null && typeof (json as PromiseLike<unknown>).then === "function") throw refusal(name, "has a JSON Schema that is only available asynchronously; give a zod schema or jsonSchema({ … })");
  return {
    name,
    // AI SDK 7 lets a description depend on the call's context; a program's call has none.
    description: typeof spec.description === "function" ? spec.description({ context: undefined }) : (spec.description ?? name),
    schema: isZodSchema(given) ? given : (json as Record<string, unknown>),
    async invoke(args, ctx: ToolContext) {
      const toolCallId = `sandbox-${++calls}`;
      let input: unknown = args;
      if (!zod && schema.validate) {
        const checked = await schema.validate(args);
        if (!checked.success) throw new Error(`invalid arguments: ${checked.error.message}`);
        input = checked.value;
      }
      if (await needsApproval(spec.needsApproval, input, toolCallId)) throw new Error(`${name} needs approval, which a program cannot give`);
      const options = { toolCallId, messages: [], abortSignal: ctx.signal, context: undefined, experimental_context: undefined };
      const result: unknown = await (execute as (input: unknown, options: unknown) => unknown)(input, options);
      return isAsyncIterable(result) ? lastOf(result) : result;
    },
  };
}

async function needsApproval(option: unknown, input: unknown, toolCallId: string): Promise<boolean> {
  if (typeof option === "function") return Boolean(await (option as (input: unknown, o: unknown) => unknown)(input, { toolCallId, messages: [] }));
  return option === true;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

async function lastOf(values: AsyncIterable<unknown>): Promise<unknown> {
  let last: unknown = undefined;
  for await (const value of values) last = value;
  return last;
}

function refusal(name: string, why: string): PolicyValidationError {
  return new PolicyValidationError([{ path: `tools.${name}`, message: why }], "tools");
}
