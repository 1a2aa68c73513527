import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConcurrencyLimiter } from "../limits.js";
import type { SandboxService } from "../service.js";
import { executionData, executionText, guarded, ok } from "./result-format.js";

const EXECUTE_DESCRIPTION = `Run code in an isolated WebAssembly sandbox and return stdout, stderr, exit code, resource use and guidance.

Languages: python (CPython 3.12 + standard library; \`import sandbox_utils\` for file helpers), javascript (QuickJS-NG, ES2023; readText/writeText/readJson/writeJson/listFiles globals), ruby (CRuby 3.4 + stdlib), lua (5.4) — call list_runtimes for what this server offers.
Filesystem: your files live in /app (read-write, persists within the session). /external holds read-only files the host provided. Nothing else of the host is visible. No network, no subprocesses.
Limits: every run has a fuel budget (instructions), a memory cap, a wall-clock timeout and output caps; when one is hit the result says which (trap_reason) and what to do.
Sessions: omit session_id to start a new session (its id comes back in the result); pass it again to keep working with the same /app files. To keep variables between calls, create the session with create_session(auto_persist_globals=true) (Python globals; JavaScript/Lua \`_state\`; Ruby \`$state\`).`;

/** execute_code and list_runtimes. */
export function registerExecutionTools(server: McpServer, service: SandboxService, limiter: ConcurrencyLimiter, clientKey: () => string): void {
  server.registerTool(
    "execute_code",
    {
      title: "Execute code",
      description: EXECUTE_DESCRIPTION,
      inputSchema: {
        code: z.string().min(1).describe("The program to run."),
        language: z.string().min(1).describe("python, javascript, ruby or lua"),
        session_id: z.string().min(1).max(128).optional().describe("Continue in this session's /app workspace."),
        timeout: z.number().positive().max(3600).optional().describe("Wall-clock limit in seconds for this run (capped by the server)."),
      },
      annotations: { title: "Execute code", readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args) =>
      guarded(async () => {
        const release = limiter.acquire(clientKey());
        try {
          const result = await service.execute(args);
          return ok(executionText(result), executionData(result));
        } finally {
          release();
        }
      }),
  );

  server.registerTool(
    "list_runtimes",
    {
      title: "List runtimes",
      description: "List the languages this sandbox server can run, with versions and default limits (fuel budget, memory, timeout).",
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async () =>
      guarded(async () => {
        const runtimes = await service.describeRuntimes();
        const text = runtimes.map((r) => `${r.language}: ${r.display_name} (${r.package}@${r.version})`).join("\n") || "no runtimes installed";
        return ok(text, { runtimes });
      }),
  );
}
