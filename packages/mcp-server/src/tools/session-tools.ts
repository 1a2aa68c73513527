import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { unknownLanguage } from "../register-runtimes.js";
import type { SandboxService } from "../service.js";
import { guarded, ok } from "./result-format.js";
import type { ToolContext } from "./tool-context.js";

const sessionId = z.string().min(1).max(128).describe("The session id returned by create_session or execute_code.");

/** What auto_persist_globals keeps, per language — what the runtimes really do. */
const PERSISTENCE = [
  "Python: module-level variables whose names do not start with _ holding None, bool, int, float, complex, str, bytes, bytearray, list, tuple, set, frozenset or dict (nested up to 64 levels); anything else (datetime objects, class instances, functions, open files) is not kept and the result's notes name it",
  "JavaScript: the global `_state` object, for values JSON can hold (no functions, Maps, Sets, BigInts, class instances, NaN/Infinity)",
  "Ruby: the global `$state` Hash, for values Marshal can dump (no Procs, IO objects or singletons)",
  "Lua: the global `_state` table, for nil, booleans, numbers, strings and tables of those",
].join("; ");

/** create_session, destroy_session, get_workspace_info, reset_workspace. */
export function registerSessionTools(server: McpServer, service: SandboxService, ctx: ToolContext): void {
  const [first, ...more] = ctx.languages;
  if (first === undefined) throw new Error("no runtime is offered");
  server.registerTool(
    "create_session",
    {
      title: "Create session",
      description: `Create a session: a persistent /app workspace for one language that execute_code calls share by passing its session_id. ${ctx.sessionTtlText} With auto_persist_globals=true, variables survive between execute_code calls. What is kept: ${PERSISTENCE}. State is saved when a run ends (Python and Ruby also after an uncaught error; JavaScript and Lua only after success) and never when a limit stopped the run.`,
      inputSchema: {
        language: z.enum([first, ...more], { error: (issue) => unknownLanguage(issue.input, ctx.languages, service.options.notInstalled) }).describe(`Language of the session; this server offers ${ctx.languages.join(", ")}.`),
        session_id: z
          .string()
          .min(1)
          .max(128)
          .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-'")
          .optional()
          .describe("Choose the id (letters, digits, '.', '_', '-'); an existing session with this id is reused. Omit for a generated id."),
        auto_persist_globals: z.boolean().optional().describe("Keep variables between runs of this session (see the tool description for which values survive). Default false."),
        keep_alive: z
          .boolean()
          .optional()
          .describe(
            `Keep the interpreter alive between runs, like a notebook kernel: every variable, function, class instance, open generator and imported module stays as the last run left it (each result's warm=true says so). ${keepAliveText(service)} A run stopped by a limit ends it too; the next run then starts fresh from the session's files (and saved variables with auto_persist_globals). Default false.`,
          ),
      },
      outputSchema: {
        session_id: z.string().describe("Pass this to execute_code and the file tools."),
        language: z.string(),
        auto_persist_globals: z.boolean(),
        keep_alive: z.boolean().describe("True when runs of this session continue a live interpreter."),
      },
    },
    async (args) =>
      guarded(async () => {
        const s = await service.createSession(args.language, args.session_id, args.auto_persist_globals, args.keep_alive ?? false);
        const kept = [s.auto_persist_globals ? "variables persist between runs" : "", s.keep_alive ? "the interpreter stays alive between runs" : ""].filter(Boolean);
        return ok(`Session ${s.session_id} ready (${[s.language, ...kept].join(", ")}). Pass session_id to execute_code.`, s);
      }),
  );

  server.registerTool(
    "destroy_session",
    {
      title: "Destroy session",
      description: "Delete a session and all of its files.",
      inputSchema: { session_id: sessionId },
      outputSchema: { session_id: z.string(), deleted: z.boolean().describe("False when there was no such session.") },
      annotations: { destructiveHint: true },
    },
    async (args) =>
      guarded(async () => {
        const deleted = await service.destroySession(args.session_id);
        return ok(deleted ? `Session ${args.session_id} deleted.` : `Session ${args.session_id} did not exist.`, { session_id: args.session_id, deleted });
      }),
  );

  server.registerTool(
    "get_workspace_info",
    {
      title: "Workspace info",
      description: "Show a session's metadata (language, created/updated times, size, executions) and the files in its /app workspace.",
      inputSchema: { session_id: sessionId },
      // Loose: storage adapters may record more about a session than these fields.
      outputSchema: z.looseObject({
        sessionId: z.string(),
        runtime: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        autoPersistGlobals: z.boolean(),
        sizeBytes: z.number().describe("Bytes held by the session's files."),
        fileCount: z.number(),
        executionCount: z.number(),
        files: z.array(z.object({ path: z.string().describe("Relative to /app."), type: z.string(), size: z.number().describe("Bytes.") })),
      }),
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guarded(async () => {
        const info = await service.workspaceInfo(args.session_id);
        const files = info.files as Array<{ path: string; type: string; size: number }>;
        const text = [
          `session ${args.session_id}: ${String(info.runtime)}, ${files.length} entries, ${String(info.sizeBytes)} bytes, ${String(info.executionCount)} executions`,
          ...listing(files),
        ].join("\n");
        return ok(text, info);
      }),
  );

  server.registerTool(
    "reset_workspace",
    {
      title: "Reset workspace",
      description: "Delete every file in a session's /app (including persisted variables and saved outputs) but keep the session.",
      inputSchema: { session_id: sessionId },
      outputSchema: { session_id: z.string(), removed_entries: z.number().describe("Top-level files and directories removed.") },
      annotations: { destructiveHint: true },
    },
    async (args) =>
      guarded(async () => {
        const removed = await service.resetWorkspace(args.session_id);
        return ok(`Workspace of ${args.session_id} reset (${removed} top-level entries removed).`, { session_id: args.session_id, removed_entries: removed });
      }),
  );
}

const LISTED = 200;

/** `- /app/path (size bytes)` lines, at most LISTED of them. */
export function listing(files: ReadonlyArray<{ path: string; type: string; size: number }>): string[] {
  const lines = files.slice(0, LISTED).map((f) => `${f.type === "directory" ? "d" : "-"} /app/${f.path} (${f.size} bytes)`);
  if (files.length > LISTED) lines.push(`… and ${files.length - LISTED} more (list_files with a path narrows the listing)`);
  return lines;
}

/** The server's limits on live interpreters, in words. */
function keepAliveText(service: SandboxService): string {
  const limits = service.options.keepAlive;
  if (limits === undefined || limits.maxSessions === 0) return "This server does not offer it.";
  return `This server keeps at most ${limits.maxSessions} live interpreters (the least recently used is ended to make room) and ends one idle for ${Math.round(limits.idleMs / 60_000)} min.`;
}
