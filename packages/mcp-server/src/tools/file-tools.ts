import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { SandboxService } from "../service.js";
import { guarded, ok } from "./result-format.js";

const sessionId = z.string().min(1).max(128).describe("The session whose /app workspace to use.");
const path = z.string().min(1).max(1024).describe("Path inside /app, e.g. data/input.csv or /app/data/input.csv.");
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** read_file, write_file, list_files: move data in and out without running code. */
export function registerFileTools(server: McpServer, service: SandboxService): void {
  server.registerTool(
    "read_file",
    {
      title: "Read file",
      description: "Read a file from a session's /app workspace. Text comes back as text; binary files as base64 (encoding: \"base64\").",
      inputSchema: { session_id: sessionId, path },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guarded(async () => {
        const data = await service.readFile(args.session_id, args.path);
        let text: string;
        let encoding: "utf-8" | "base64" = "utf-8";
        try {
          text = utf8.decode(data);
        } catch {
          text = Buffer.from(data).toString("base64");
          encoding = "base64";
        }
        return ok(text, { session_id: args.session_id, path: args.path, encoding, size: data.byteLength, content: text });
      }),
  );

  server.registerTool(
    "write_file",
    {
      title: "Write file",
      description: "Write a file into a session's /app workspace (parent directories are created). Use encoding \"base64\" for binary content.",
      inputSchema: {
        session_id: sessionId,
        path,
        content: z.string().describe("The file content."),
        encoding: z.enum(["utf-8", "base64"]).optional().describe("Default utf-8."),
      },
    },
    async (args) =>
      guarded(async () => {
        const data = args.encoding === "base64" ? new Uint8Array(Buffer.from(args.content, "base64")) : new TextEncoder().encode(args.content);
        await service.writeFile(args.session_id, args.path, data);
        return ok(`Wrote ${data.byteLength} bytes to /app/${args.path.replace(/^\/app\//, "")}.`, { session_id: args.session_id, path: args.path, size: data.byteLength });
      }),
  );

  server.registerTool(
    "list_files",
    {
      title: "List files",
      description: "List the files and directories in a session's /app workspace, optionally under a sub-directory.",
      inputSchema: { session_id: sessionId, path: z.string().max(1024).optional().describe("Only entries under this directory.") },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guarded(async () => {
        const files = await service.listFiles(args.session_id, args.path);
        const text = files.length ? files.map((f) => `${f.type === "directory" ? "d" : "-"} /app/${f.path} (${f.size} bytes)`).join("\n") : "(no files)";
        return ok(text, { session_id: args.session_id, files });
      }),
  );
}
