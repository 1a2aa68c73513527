/**
 * The files the MCP server reads at startup on its operator's behalf (issue 22.1, 22.2):
 * `--config` and `--external-files` pointing at /dev/zero, a FIFO or a directory end the
 * process with one clear line, never a hang, an endless read or a stack trace.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-host-inputs-"));
  execFileSync("mkfifo", [join(dir, "fifo")]);
  await mkdir(join(dir, "folder"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts the server with `args` (stdio transport, stdin left open); resolves when it exits. */
function start(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    // A hang (the FIFO attack) ends at this timeout and fails the exit-code assertion.
    const child = execFile(process.execPath, [CLI, "--storage-dir", join(dir, "ws"), ...args], { timeout: 60_000 }, (err, _out, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
    child.stdin?.on("error", () => undefined);
  });
}

describe("llm-wasm-mcp startup files", () => {
  it.each([
    [["--config", "/dev/zero"], "policy file", "character device"],
    [["--config", "fifo"], "policy file", "FIFO"],
    [["--external-files", "fifo"], "external file", "FIFO"],
    [["--external-files", "/dev/zero"], "external file", "character device"],
    [["--external-files", "folder"], "external file", "a directory"],
  ])("%j is refused with one line", async (args, label, kind) => {
    const r = await start(args.map((a) => (a === "fifo" || a === "folder" ? join(dir, a) : a)));
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split("\n").filter((l) => !l.startsWith("{")); // pino logs are JSON lines
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(label);
    expect(lines[0]).toContain(kind);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
