import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { formatCount } from "@llm-wasm-sandbox/core";
import type { ExecutionGate } from "../limits.js";
import { executionToolResult } from "../output/execution-result.js";
import { ToolProgress } from "../progress.js";
import type { SandboxService } from "../service.js";
import { ExecuteOutputSchema, RuntimesOutputSchema } from "./output-schemas.js";
import { unknownLanguage } from "../register-runtimes.js";
import { guarded, ok } from "./result-format.js";
import type { ToolContext } from "./tool-context.js";

/** execute_code, cancel_execution and list_runtimes. */
export function registerExecutionTools(server: McpServer, service: SandboxService, gate: ExecutionGate, ctx: ToolContext): void {
  const [first, ...more] = ctx.languages;
  if (first === undefined) throw new Error("no runtime is offered");
  server.registerTool(
    "execute_code",
    {
      title: "Execute code",
      description: executeDescription(ctx),
      inputSchema: {
        code: z.string().min(1).describe("The complete program to run, as source text (it runs as a script; print what you want to see)."),
        language: z.enum([first, ...more], { error: (issue) => unknownLanguage(issue.input, ctx.languages, service.options.notInstalled) }).describe(`Language of the code; this server offers ${ctx.languages.join(", ")}.`),
        session_id: z
          .string()
          .min(1)
          .max(128)
          .optional()
          .describe("Continue in this session's /app files (from create_session or an earlier result). Omit for a one-off run in a new, short-lived session."),
        timeout: z
          .number()
          .positive()
          .max(ctx.maxTimeoutSeconds)
          .optional()
          .describe(`Wall-clock limit for this run in seconds, at most ${ctx.maxTimeoutSeconds} (default ${ctx.defaultTimeout}).`),
        idempotency_key: z
          .string()
          .min(1)
          .max(256)
          .optional()
          .describe("A unique value (e.g. a UUID) that makes a retry safe: a call whose key already ran in the session returns that run's result and runs nothing. Without session_id the key also names the session."),
      },
      outputSchema: ExecuteOutputSchema,
      annotations: { title: "Execute code", readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) =>
      guarded(async () => {
        const client = ctx.clientKey();
        const release = gate.acquire(client);
        const progress = new ToolProgress(extra, ctx.logger, undefined, ctx.maxOutputChars);
        try {
          const { result, autoPersistGlobals } = await service.execute(args, {
            client,
            signal: extra.signal,
            ...(progress.wanted ? { onOutput: (stream: "stdout" | "stderr", text: string) => progress.output(stream, text) } : {}),
            onPhase: (phase, language) =>
              progress.phase(phase === "preparing" ? `preparing the ${language} runtime and running the code (a runtime's first run compiles and caches it)` : `running ${language} code`),
          });
          progress.end();
          return await executionToolResult(result, { ...ctx.reader, autoPersistGlobals }, { maxOutputChars: ctx.maxOutputChars, storage: service.options.storage });
        } finally {
          progress.end();
          release();
        }
      }),
  );

  server.registerTool(
    "cancel_execution",
    {
      title: "Cancel execution",
      description:
        "Stop code this client started that is still running: the run ends with trap_reason \"cancelled\" and none of its file changes are kept. Cancelling the execute_code request itself (notifications/cancelled) does the same for that one call.",
      inputSchema: {
        session_id: z.string().min(1).max(128).optional().describe("Only stop runs in this session. Omit to stop every run this client has in flight."),
      },
      outputSchema: { cancelled: z.number().int().describe("How many running executions were stopped.") },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      guarded(async () => {
        const cancelled = service.cancel(ctx.clientKey(), args.session_id);
        const where = args.session_id ? ` in session ${args.session_id}` : "";
        return ok(cancelled ? `Cancelled ${cancelled} running execution${cancelled === 1 ? "" : "s"}${where}.` : `Nothing of yours was running${where}.`, { cancelled });
      }),
  );

  server.registerTool(
    "list_runtimes",
    {
      title: "List runtimes",
      description:
        "List the languages this server runs, with versions and the limits each run gets (fuel budget, memory, timeout, output caps), and the built-in languages that are not installed, with how to add each.",
      inputSchema: {},
      outputSchema: RuntimesOutputSchema,
      annotations: { readOnlyHint: true },
    },
    async () =>
      guarded(async () => {
        const runtimes = await service.describeRuntimes();
        const notInstalled = service.options.notInstalled ?? [];
        const lines = runtimes.map((r) => `${String(r.language)}: ${String(r.display_name)} (${String(r.package)}@${String(r.version)})`);
        if (lines.length === 0) lines.push("no runtimes installed");
        for (const m of notInstalled) lines.push(`${m.language}: not installed — ${m.install}`);
        return ok(lines.join("\n"), { runtimes, not_installed: notInstalled });
      }),
  );
}

function executeDescription(ctx: ToolContext): string {
  return `Run a program in an isolated WebAssembly sandbox and get its output, exit code, resource use and, on failure, what to do.

Languages: ${ctx.languages.map((l) => LANGUAGE_NOTES[l] ?? l).join("; ")}.
Files: /app is your read-write workspace (it belongs to the session); /external holds read-only files the host provided. Nothing else of the host is visible. No network, no subprocesses, no threads.
Limits per run: a fuel budget (instructions), a memory cap, a wall-clock timeout (default ${ctx.defaultTimeout}, at most ${ctx.maxTimeoutSeconds} s via \`timeout\`) and output caps. When one is hit, trap_reason names it and the result says what to do.
Output: each of stdout and stderr is returned up to ${formatCount(ctx.maxOutputChars)} characters (its head and tail); when more was printed, the whole text is saved in the session and its path given (read it with read_file and offset/length, or open it in code).
Sessions: omit session_id for a one-off run (its session is deleted ${ctx.ephemeralTtlText}); pass the session_id from a result or from create_session to keep working with the same /app files. ${ctx.sessionTtlText}
Variables do not survive between runs unless the session was created with create_session(auto_persist_globals=true); see create_session for what is kept.${ctx.toolsText ? `\n\n${ctx.toolsText}` : ""}`;
}

const LANGUAGE_NOTES: Record<string, string> = {
  python: "python (CPython 3.14 and its standard library; `import sandbox_utils` for file helpers)",
  javascript: "javascript (QuickJS-NG, ES2023, not Node: globals readText/writeText/readJson/writeJson/listFiles)",
  ruby: "ruby (CRuby 3.4 and its standard library)",
  lua: "lua (Lua 5.4 and its standard library)",
  wasm: "wasm (a WebAssembly module as WAT text or base64 binary, WASI preview 1)",
};
