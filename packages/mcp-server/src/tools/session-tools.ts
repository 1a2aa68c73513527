import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { SandboxService } from "../service.js";
import { guarded, ok } from "./result-format.js";

const sessionId = z.string().min(1).max(128).describe("The session id returned by create_session or execute_code.");

/** create_session, destroy_session, get_workspace_info, reset_workspace. */
export function registerSessionTools(server: McpServer, service: SandboxService): void {
  server.registerTool(
    "create_session",
    {
      title: "Create session",
      description:
        "Create a session: a persistent /app workspace for a language. With auto_persist_globals=true, variables survive between execute_code calls (Python globals that can be pickled; JavaScript/Lua `_state`; Ruby `$state`). Pass session_id to choose the id (letters, digits, '-', '_', '.').",
      inputSchema: {
        language: z.string().min(1).describe("python, javascript, ruby or lua"),
        session_id: z.string().min(1).max(128).optional(),
        auto_persist_globals: z.boolean().optional(),
      },
    },
    async (args) =>
      guarded(async () => {
        const s = await service.createSession(args.language, args.session_id, args.auto_persist_globals);
        return ok(`Session ${s.session_id} ready (${s.language}${s.auto_persist_globals ? ", globals persist" : ""}). Pass session_id to execute_code.`, s);
      }),
  );

  server.registerTool(
    "destroy_session",
    { title: "Destroy session", description: "Delete a session and all of its files.", inputSchema: { session_id: sessionId }, annotations: { destructiveHint: true } },
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
      description: "Show a session's metadata (language, created/updated, size, executions) and the files in its /app workspace.",
      inputSchema: { session_id: sessionId },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guarded(async () => {
        const info = await service.workspaceInfo(args.session_id);
        const files = info.files as Array<{ path: string; type: string; size: number }>;
        const text = [
          `session ${args.session_id}: ${String(info.runtime)}, ${files.length} entries, ${String(info.sizeBytes)} bytes, ${String(info.executionCount)} executions`,
          ...files.map((f) => `${f.type === "directory" ? "d" : "-"} /app/${f.path} (${f.size} bytes)`),
        ].join("\n");
        return ok(text, info);
      }),
  );

  server.registerTool(
    "reset_workspace",
    {
      title: "Reset workspace",
      description: "Delete every file in a session's /app (including persisted globals) but keep the session.",
      inputSchema: { session_id: sessionId },
      annotations: { destructiveHint: true },
    },
    async (args) =>
      guarded(async () => {
        const removed = await service.resetWorkspace(args.session_id);
        return ok(`Workspace of ${args.session_id} reset (${removed} top-level entries removed).`, { session_id: args.session_id, removed_entries: removed });
      }),
  );
}
