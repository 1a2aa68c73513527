import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { SandboxService } from "../service.js";
import { guarded, ok } from "./result-format.js";
import { listing } from "./session-tools.js";

const sessionId = z.string().min(1).max(128).describe("The session whose /app workspace to use.");
const path = z.string().min(1).max(1024).describe("Path inside /app, e.g. data/input.csv or /app/data/input.csv.");
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes read_file returns when no length is given. */
export const DEFAULT_READ_BYTES = 64 * 1024;

/** read_file, write_file, list_files: move data in and out without running code. */
export function registerFileTools(server: McpServer, service: SandboxService): void {
  const maxBytes = service.options.maxFileBytes;
  server.registerTool(
    "read_file",
    {
      title: "Read file",
      description: `Read a file from a session's /app workspace, ${DEFAULT_READ_BYTES / 1024} KiB at a time by default: pass offset (and length) to read further. Text comes back as text; binary data as base64 (encoding "base64"). Files over ${maxBytes} bytes are refused: process them with execute_code.`,
      inputSchema: {
        session_id: sessionId,
        path,
        offset: z.number().int().nonnegative().optional().describe("First byte to read (default 0); use next_offset from the previous read to continue."),
        length: z.number().int().positive().max(maxBytes).optional().describe(`Bytes to read (default ${DEFAULT_READ_BYTES}, at most ${maxBytes}).`),
      },
      outputSchema: {
        session_id: z.string(),
        path: z.string(),
        encoding: z.enum(["utf-8", "base64"]).describe("How the content in the text result is encoded."),
        size: z.number().int().describe("Size of the whole file, bytes."),
        offset: z.number().int().describe("First byte returned."),
        returned_bytes: z.number().int().describe("Bytes returned (before base64)."),
        next_offset: z.number().int().nullable().describe("Where the next read continues; null at the end of the file."),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guarded(async () => {
        const slice = await service.readFile(args.session_id, args.path, args.offset ?? 0, args.length ?? DEFAULT_READ_BYTES);
        const { text, encoding, used } = decode(slice.data, slice.nextOffset !== null);
        const next = used < slice.data.byteLength ? slice.offset + used : slice.nextOffset;
        const meta = { session_id: args.session_id, path: args.path, encoding, size: slice.size, offset: slice.offset, returned_bytes: used, next_offset: next };
        const more = next !== null ? `\n[bytes ${slice.offset}–${next} of ${slice.size}; read_file with offset ${next} continues]` : "";
        return { content: [{ type: "text", text: text + more }], structuredContent: meta };
      }),
  );

  server.registerTool(
    "write_file",
    {
      title: "Write file",
      description: `Write a file into a session's /app workspace (parent directories are created; an existing file is replaced). Use encoding "base64" for binary content. At most ${maxBytes} bytes.`,
      inputSchema: {
        session_id: sessionId,
        path,
        content: z.string().describe("The file content, as text or base64."),
        encoding: z.enum(["utf-8", "base64"]).optional().describe("How content is encoded (default utf-8)."),
      },
      outputSchema: { session_id: z.string(), path: z.string(), size: z.number().int().describe("Bytes written.") },
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
      inputSchema: { session_id: sessionId, path: z.string().max(1024).optional().describe("Only entries under this directory (e.g. data or /app/data).") },
      outputSchema: {
        session_id: z.string(),
        files: z.array(z.object({ path: z.string().describe("Relative to /app."), type: z.string().describe("file or directory"), size: z.number().describe("Bytes.") })),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guarded(async () => {
        const files = await service.listFiles(args.session_id, args.path);
        return ok(files.length ? listing(files).join("\n") : "(no files)", { session_id: args.session_id, files });
      }),
  );
}

/**
 * UTF-8 text when the bytes are valid UTF-8, else base64. A slice that stops inside a
 * character ends with up to 3 bytes of it: those are left for the next read (`used`).
 */
function decode(data: Uint8Array, partial: boolean): { text: string; encoding: "utf-8" | "base64"; used: number } {
  for (let trim = 0; trim <= (partial ? 3 : 0) && trim < Math.max(1, data.byteLength); trim++) {
    try {
      return { text: utf8.decode(data.subarray(0, data.byteLength - trim)), encoding: "utf-8", used: data.byteLength - trim };
    } catch {
      // try again without a cut character at the end
    }
  }
  return { text: Buffer.from(data).toString("base64"), encoding: "base64", used: data.byteLength };
}
