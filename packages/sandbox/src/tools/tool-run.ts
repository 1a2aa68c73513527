/**
 * One run's side of host functions on the main thread: answers the guest's calls (the
 * worker has already counted them against `maxToolCalls` and capped their arguments at
 * `maxToolArgsBytes`), and records each in `toolCalls` and the log.
 *
 * A call: look the tool up (undeclared → `UnknownTool`), parse the JSON arguments (no
 * `__proto__` key survives), validate them with the tool's zod schema, run the handler
 * under `toolTimeoutMs` with a signal that also aborts when the run ends, validate the
 * result with the output schema, serialize it and cap it at `maxToolResultBytes`. Every
 * failure is a reply the guest turns into its language's exception; none throws here.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type ExecutionPolicy, LogEvent, type SandboxLogger, type StorageAdapter, type ToolCallRecord } from "@llm-wasm-sandbox/core";
import type { ToolCallHandler } from "@llm-wasm-sandbox/wasi-host";
import type { z } from "zod";
import type { ToolSet } from "./define-tools.js";

/** Arguments up to this many bytes of JSON are kept in `toolCalls`; bigger ones are summarized. */
export const RECORDED_ARGS_BYTES = 4096;
/** Longest error message passed to the guest. */
const MAX_ERROR_CHARS = 4000;

/** What a run's tool calls need to know. */
export interface ToolRunOptions {
  readonly tools: ToolSet;
  readonly policy: ExecutionPolicy;
  readonly sessionId: string;
  readonly runtime: string;
  readonly storage: StorageAdapter;
  readonly logger: SandboxLogger;
}

/** The handler for one run and the calls it answered. */
export interface ToolRun {
  readonly onToolCall: ToolCallHandler;
  readonly calls: ToolCallRecord[];
}

type Reply = Awaited<ReturnType<ToolCallHandler>>;

/** The session whose tool handler the current async context is running in. */
const handlerScope = new AsyncLocalStorage<{ storage: StorageAdapter; sessionId: string }>();

/**
 * True inside a tool handler of the given session: an `execute` of that session from
 * there would wait for the lock its own run holds.
 */
export function insideToolHandlerOf(storage: StorageAdapter, sessionId: string): boolean {
  const scope = handlerScope.getStore();
  return scope !== undefined && scope.storage === storage && scope.sessionId === sessionId;
}

/** Creates the call handler of one run. */
export function createToolRun(options: ToolRunOptions): ToolRun {
  const { tools, policy, logger } = options;
  const calls: ToolCallRecord[] = [];
  const onToolCall: ToolCallHandler = async (call, runSignal) => {
    const started = performance.now();
    const record = (args: unknown, reply: Reply): Reply => {
      const ms = Math.round((performance.now() - started) * 1000) / 1000;
      const error = reply.ok ? undefined : `${reply.error.name}: ${reply.error.message}`;
      calls.push({ name: call.tool, args, ok: reply.ok, ms, ...(error !== undefined ? { error } : {}) });
      logger.info({ event: LogEvent.TOOL_CALL, sessionId: options.sessionId, runtime: options.runtime, tool: call.tool, ok: reply.ok, ms, ...(error ? { error } : {}) }, "tool call");
      return reply;
    };
    // The worker counts too; this is the host's own guard against a worker that would not.
    if (calls.length >= policy.maxToolCalls) return record(null, fail("ToolBudgetExceeded", `this run may call host functions at most ${policy.maxToolCalls} times (policy maxToolCalls)`));
    const args = parseArgs(call.args);
    const argsBytes = Buffer.byteLength(call.args);
    const recorded = argsBytes <= RECORDED_ARGS_BYTES ? (args.ok ? args.value : null) : { $truncated: argsBytes };
    const tool = Object.hasOwn(tools, call.tool) ? tools[call.tool] : undefined;
    if (tool === undefined) return record(recorded, fail("UnknownTool", unknownToolMessage(call.tool, tools)));
    if (!args.ok) return record(recorded, fail("InvalidArguments", `the arguments of ${call.tool} are not JSON: ${args.message}`));
    const input = await tool.input.safeParseAsync(args.value);
    if (!input.success) return record(recorded, fail("InvalidArguments", issuesText(input.error)));
    return record(recorded, await invoke(call.tool, tool, input.data, runSignal, options));
  };
  return { onToolCall, calls };
}

async function invoke(name: string, tool: ToolSet[string], args: unknown, runSignal: AbortSignal, options: ToolRunOptions): Promise<Reply> {
  const { policy } = options;
  const controller = new AbortController();
  const onRunEnd = (): void => controller.abort(runSignal.reason);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<Reply>((resolve) => {
    // The run ending (wall clock, cancel, trap) settles the call too, so it is recorded.
    controller.signal.addEventListener("abort", () => resolve(fail("RunEnded", `the run ended while ${name} was running`)), { once: true });
    timer = setTimeout(() => {
      const message = `${name} did not answer within ${policy.toolTimeoutMs} ms (policy toolTimeoutMs)`;
      resolve(fail("ToolTimeout", message)); // first: the abort below would settle it as RunEnded
      controller.abort(new Error(message));
    }, policy.toolTimeoutMs);
  });
  runSignal.addEventListener("abort", onRunEnd, { once: true });
  if (runSignal.aborted) onRunEnd();
  const ctx = { signal: controller.signal, sessionId: options.sessionId, runtime: options.runtime, tool: name };
  const handled = handlerScope.run({ storage: options.storage, sessionId: options.sessionId }, async (): Promise<Reply> => {
    try {
      const value: unknown = await tool.handler(args, ctx);
      return await serialize(name, tool, value, policy.maxToolResultBytes);
    } catch (error) {
      return fail("ToolFailed", messageOf(error));
    }
  });
  try {
    return await Promise.race([handled, timedOut]);
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener("abort", onRunEnd);
  }
}

async function serialize(name: string, tool: ToolSet[string], value: unknown, maxBytes: number): Promise<Reply> {
  let result = value === undefined ? null : value;
  if (tool.output) {
    const checked = await tool.output.safeParseAsync(result);
    if (!checked.success) return fail("InvalidResult", `${name} returned a result its output schema refuses: ${issuesText(checked.error)}`);
    result = checked.data === undefined ? null : checked.data;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (error) {
    return fail("InvalidResult", `${name} returned a result that is not JSON: ${messageOf(error)}`);
  }
  if (text === undefined) return fail("InvalidResult", `${name} returned a result that is not JSON (${typeof result})`);
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) return fail("ToolResultTooLarge", `the result of ${name} is ${bytes} bytes of JSON, over the ${maxBytes} allowed (policy maxToolResultBytes)`);
  return { ok: true, value: text };
}

/** JSON.parse without `__proto__` keys: a guest's JSON never reaches a prototype. */
function parseArgs(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text, (key, value: unknown) => (key === "__proto__" ? undefined : value)) };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

/** One line per problem, naming where: `query: Invalid input: expected string, received number`. */
function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

function unknownToolMessage(name: string, tools: ToolSet): string {
  const names = Object.keys(tools).sort();
  const shown = names.slice(0, 20).join(", ");
  const label = name.length > 64 ? `${name.slice(0, 61)}...` : name;
  return names.length === 0
    ? `no host function "${label}": this sandbox has no tools`
    : `no host function "${label}"; available: ${shown}${names.length > 20 ? ", …" : ""}`;
}

function fail(name: string, message: string): Reply {
  return { ok: false, error: { name, message: message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS - 3)}...` : message } };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : "the handler failed";
}
