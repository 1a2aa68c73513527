import { randomUUID } from "node:crypto";
import { parseOrThrow, PolicyValidationError, resolvePolicy } from "@llm-wasm-sandbox/core";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { z } from "zod";
import { createSandbox } from "../create-sandbox.js";
import { type CompactResult, compactResult } from "../model-output/compact-result.js";
import { type CreateSandboxOptions, parseCreateOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { describeTools, TOOL_LANGUAGES, type ToolLanguage } from "../tools/describe-tools.js";
import { mergeTools, parseTools, type ToolSet } from "../tools/define-tools.js";
import { describeCodeExecution } from "./describe-code-execution.js";

/** Options for the sandboxes a code-execution tool creates (`runtime` comes from the language). */
export type CodeExecutionSandboxOptions = Omit<CreateSandboxOptions, "runtime">;

/**
 * Options of `createCodeExecution` — and of every framework adapter's tool factory,
 * which extend them.
 */
export interface CodeExecutionOptions {
  /**
   * Run in these sandboxes (one per runtime). Their runtimes are offered to the model;
   * sandboxes the tool creates for other `languages` join the first one's session.
   */
  readonly sandbox?: Sandbox | readonly Sandbox[];
  /** Languages the model may choose (default: the given sandboxes' runtimes, else `["python"]`). */
  readonly languages?: readonly string[];
  /**
   * How to create the sandboxes the tool needs: policy, storage, session id, globals, mounts, …
   * All languages share one session (so one /app). Default storage: a fresh `memoryStorage()`
   * (nothing written to disk) unless `storage` or `workspaceRoot` is given.
   */
  readonly sandboxOptions?: CodeExecutionSandboxOptions;
  /** Characters kept of each of stdout and stderr, head and tail (default 20,000). */
  readonly maxOutputChars?: number;
  /** Changed paths listed in a result (default 50). */
  readonly maxListedFiles?: number;
  /**
   * Host functions (code mode) for every sandbox the tool creates, added to
   * `sandboxOptions.tools`; the description tells the model how to call them from each
   * offered language (`describeTools`). The framework adapters take the framework's own
   * tool definitions here. Not with `sandbox` (give those sandboxes their tools yourself).
   */
  readonly tools?: ToolSet;
  /** Replaces the generated tool description. */
  readonly description?: string;
  /**
   * The tool's name (default "execute_code"), for frameworks whose tools carry one (OpenAI
   * Agents, LangChain); letters, digits, `_` and `-`, at most 64.
   */
  readonly name?: string;
}

/** What the model sends. */
export interface CodeExecutionInput {
  readonly language: string;
  readonly code: string;
}

/** The zod schema of `CodeExecutionInput` (an object schema, as every framework's tool definition wants). */
export type CodeExecutionInputSchema = z.ZodObject<{ language: z.ZodEnum<Record<string, string>>; code: z.ZodString }>;

/** Per-call options of `CodeExecution.execute`. */
export interface CodeExecutionCallOptions {
  /** Cancels the run (the framework's abort signal). */
  readonly signal?: AbortSignal;
}

/**
 * A framework-neutral code-execution tool: a description and an input schema for the
 * model, and `execute`, which runs the code in the language's sandbox (created on
 * first use, one per language, all in one session) and returns a `CompactResult`.
 * The framework adapters (`@llm-wasm-sandbox/ai-sdk`, `…/openai-agents`, `…/langchain`)
 * wrap one of these in their framework's tool shape.
 */
export interface CodeExecution {
  /** The tool's name. */
  readonly name: string;
  /** The languages offered, in order. */
  readonly languages: readonly string[];
  /** The session every language's sandbox runs in. */
  readonly sessionId: string;
  /** The description the model reads. */
  readonly description: string;
  /** zod schema of the input: `{ language: enum of languages, code: string }`. */
  readonly inputSchema: CodeExecutionInputSchema;
  /**
   * Runs the code. Guest failures come back as results (`success: false`, with the error
   * and guidance); only host-side problems throw (a typed `SandboxError`).
   * @throws PolicyValidationError for input outside the schema.
   */
  execute(input: CodeExecutionInput, options?: CodeExecutionCallOptions): Promise<CompactResult>;
  /** The sandbox of a language, created on first use. */
  sandboxFor(language: string): Promise<Sandbox>;
}

const isSandbox = (v: unknown): v is Sandbox =>
  typeof v === "object" && v !== null && typeof (v as Sandbox).execute === "function" && typeof (v as Sandbox).runtime === "string" && typeof (v as Sandbox).sessionId === "string";

const OptionsSchema = z
  .object({
    sandbox: z.union([z.custom<Sandbox>(isSandbox, "a Sandbox from createSandbox"), z.array(z.custom<Sandbox>(isSandbox, "a Sandbox from createSandbox")).min(1)]).optional(),
    languages: z
      .array(z.string().min(1))
      .min(1, "at least one language")
      .refine((l) => new Set(l).size === l.length, "languages must be unique")
      .optional(),
    sandboxOptions: z.record(z.string(), z.unknown()).optional(),
    tools: z.record(z.string(), z.unknown()).optional(),
    maxOutputChars: z.number().int().min(100).max(10_000_000).optional(),
    maxListedFiles: z.number().int().min(0).max(100_000).optional(),
    description: z.string().min(1).optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, '_' and '-', at most 64")
      .optional(),
  })
  .strict();

/**
 * Creates a framework-neutral code-execution tool (see `CodeExecution`).
 *
 * ```ts
 * const tool = createCodeExecution({ languages: ["python", "javascript"] });
 * const r = await tool.execute({ language: "python", code: "print(6 * 7)" });
 * r.stdout; // "42\n"
 * ```
 * @throws PolicyValidationError for bad options (checked now, not at the first call).
 */
export function createCodeExecution(options: CodeExecutionOptions = {}): CodeExecution {
  const opts = parseOrThrow(OptionsSchema, options, "code execution options") as CodeExecutionOptions;
  const given = new Map<string, Sandbox>();
  for (const s of opts.sandbox === undefined ? [] : Array.isArray(opts.sandbox) ? opts.sandbox : [opts.sandbox as Sandbox]) {
    if (given.has(s.runtime)) throw invalid("sandbox", `two sandboxes for "${s.runtime}"; pass one per runtime`);
    given.set(s.runtime, s);
  }
  if (opts.sandboxOptions && "runtime" in opts.sandboxOptions) throw invalid("sandboxOptions.runtime", "not allowed here: list the runtimes in `languages`");
  if (opts.tools !== undefined && given.size > 0) throw invalid("tools", "not with `sandbox`: give those sandboxes their tools in createSandbox({ tools })");
  const languages = opts.languages ?? (given.size > 0 ? [...given.keys()] : ["python"]);
  const first = given.values().next().value as Sandbox | undefined;
  const tools = mergeTools(opts.sandboxOptions?.tools === undefined ? undefined : parseTools(opts.sandboxOptions.tools, "sandboxOptions.tools"), opts.tools === undefined ? undefined : parseTools(opts.tools));
  const base = createBase({ ...opts.sandboxOptions, ...(Object.keys(tools).length > 0 ? { tools } : {}) }, first);
  // Validate the creation options and the policy now (runtimes are resolved at first use).
  for (const language of languages) if (!given.has(language)) parseCreateOptions({ ...base, runtime: language });
  if (base.policy !== undefined) resolvePolicy(base.policy);

  const inputSchema: CodeExecutionInputSchema = z.object({
    language: z.enum(languages as [string, ...string[]]).describe(`The language of the code: ${languages.join(", ")}.`),
    code: z.string().min(1).describe("The complete program to run. Print the results you need to see."),
  });
  const sandboxFor = lazySandboxes(given, base);
  const persistGlobals = first?.autoPersistGlobals ?? base.autoPersistGlobals ?? false;
  return {
    name: opts.name ?? "execute_code",
    languages,
    sessionId: base.sessionId,
    description: opts.description ?? withTools(describeCodeExecution({ languages, persistGlobals }), tools, languages),
    inputSchema,
    sandboxFor,
    async execute(input, call = {}) {
      const { language, code } = parseOrThrow(inputSchema, input, "code execution input");
      const sandbox = await sandboxFor(language);
      const result = await sandbox.execute(code, call.signal ? { signal: call.signal } : undefined);
      return compactResult(result, {
        ...(opts.maxOutputChars !== undefined ? { maxOutputChars: opts.maxOutputChars } : {}),
        ...(opts.maxListedFiles !== undefined ? { maxListedFiles: opts.maxListedFiles } : {}),
        reader: { channel: "tool", autoPersistGlobals: sandbox.autoPersistGlobals },
      });
    },
  };
}

/** The sandbox of each language: a given one, or one created on first use (a failed creation is retried next time). */
function lazySandboxes(given: ReadonlyMap<string, Sandbox>, base: CodeExecutionSandboxOptions): (language: string) => Promise<Sandbox> {
  const sandboxes = new Map<string, Promise<Sandbox>>([...given].map(([l, s]) => [l, Promise.resolve(s)]));
  let creating: Promise<unknown> = Promise.resolve();
  return (language) => {
    let sandbox = sandboxes.get(language);
    if (!sandbox) {
      // One at a time: the first creation makes the session, the others resume it.
      sandbox = creating.then(() => createSandbox({ ...base, runtime: language }));
      creating = sandbox.catch(() => {});
      sandboxes.set(language, sandbox);
      sandbox.catch(() => sandboxes.delete(language));
    }
    return sandbox;
  };
}

/** The options every created sandbox shares: one session id, one storage. */
function createBase(input: CodeExecutionSandboxOptions, first: Sandbox | undefined): CodeExecutionSandboxOptions & { sessionId: string } {
  if (first) {
    return { ...input, sessionId: first.sessionId, storage: first.storage, createIfMissing: true, autoPersistGlobals: input.autoPersistGlobals ?? first.autoPersistGlobals };
  }
  const storage = input.storage ?? (input.workspaceRoot === undefined ? memoryStorage() : undefined);
  return {
    ...input,
    sessionId: input.sessionId ?? randomUUID(),
    createIfMissing: input.createIfMissing ?? true,
    ...(storage ? { storage } : {}),
  };
}

/** The description, followed by how to call the tools from the offered languages that can. */
function withTools(description: string, tools: ToolSet, languages: readonly string[]): string {
  const callers = languages.filter((l): l is ToolLanguage => (TOOL_LANGUAGES as readonly string[]).includes(l));
  const text = describeTools(tools, callers);
  return text === "" ? description : `${description}\n\n${text}`;
}

function invalid(path: string, message: string): PolicyValidationError {
  return new PolicyValidationError([{ path, message }], "code execution options");
}
