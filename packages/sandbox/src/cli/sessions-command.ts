import { type Command, InvalidArgumentError } from "commander";
import { getSessionInfo, listSessionFiles, pruneSessions, resolveStorage } from "../sessions/index.js";
import { cliErrorMessage } from "./errors.js";

interface StorageFlags {
  workspace: string;
  json?: boolean;
}

/** `llm-wasm-sandbox sessions list|info|prune` over the disk storage. */
export function registerSessionsCommand(program: Command): void {
  const sessions = program.command("sessions").description("inspect and prune session workspaces on disk");
  const common = (cmd: Command) =>
    cmd.option("-w, --workspace <dir>", "session storage directory", "./workspace").option("--json", "print JSON");

  common(sessions.command("list").description("list sessions, newest first")).action((flags: StorageFlags) =>
    guard(async () => {
      const storage = resolveStorage({ workspaceRoot: flags.workspace });
      const all = (await storage.listSessions()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      if (flags.json) return print(all);
      for (const s of all) {
        process.stdout.write(`${s.sessionId}  ${s.runtime.padEnd(10)}  ${s.updatedAt}  ${s.fileCount} files  ${s.sizeBytes} bytes\n`);
      }
    }),
  );

  common(sessions.command("info").description("show a session's metadata and files").argument("<id>")).action((id: string, flags: StorageFlags) =>
    guard(async () => {
      const opts = { workspaceRoot: flags.workspace };
      const info = await getSessionInfo(id, opts);
      const files = await listSessionFiles(id, opts);
      if (flags.json) return print({ ...info, files });
      print(info);
      for (const f of files) process.stdout.write(`${f.type === "directory" ? "d" : "-"} ${String(f.size).padStart(10)}  ${f.path}\n`);
    }),
  );

  common(
    sessions
      .command("prune")
      .description("delete sessions not used for a while")
      .requiredOption("--older-than-hours <h>", "delete sessions last used more than this many hours ago", (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("a non-negative number of hours");
        return n;
      })
      .option("--dry-run", "only report what would be deleted"),
  ).action((flags: StorageFlags & { olderThanHours: number; dryRun?: boolean }) =>
    guard(async () => {
      const result = await pruneSessions({ olderThanHours: flags.olderThanHours, dryRun: flags.dryRun ?? false, workspaceRoot: flags.workspace });
      if (flags.json) return print(result);
      const verb = result.dryRun ? "would delete" : "deleted";
      process.stdout.write(`${verb} ${result.deletedSessions.length} session(s), ${result.reclaimedBytes} bytes\n`);
    }),
  );
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function guard(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    process.stderr.write(`${cliErrorMessage(e)}\n`);
    process.exitCode = 2;
  }
}
