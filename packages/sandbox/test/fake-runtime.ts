import type { ExecutionRequest, Journal, JournalEntry, RawRun, RuntimeEngine, RuntimePlugin } from "@llm-wasm-sandbox/core";

/**
 * A test runtime whose "language" is one command per line, so umbrella behaviour
 * (sessions, commits, locking, results) is tested without WebAssembly:
 *   print TEXT | append PATH TEXT | write PATH TEXT | delete PATH | cat PATH | fail MSG | trap REASON
 */
export function fakeRuntime(type = "fake"): RuntimePlugin {
  return {
    specificationVersion: "v1",
    type,
    displayName: "Fake",
    fileExtension: ".fake",
    packageName: "fake-runtime",
    version: "0.0.0",
    load: async (): Promise<RuntimeEngine> => ({
      languageVersion: "Fake 1.0",
      execute: run,
      interpret: (raw) => ({
        success: raw.exitCode === 0 && raw.trapReason === null,
        languageError: raw.exitCode !== 0 ? { name: "FakeError", message: raw.stderr.trim() } : null,
        notes: raw.stdout.includes("note") ? ["a note"] : [],
      }),
      close: async () => {},
    }),
  };
}

async function run(req: ExecutionRequest): Promise<RawRun> {
  const files = new Map<string, string>();
  const known = new Set(req.workspace.entries.filter((e) => e.type === "file").map((e) => e.path));
  const entries: JournalEntry[] = [];
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  let trapReason: RawRun["trapReason"] = null;
  const read = async (path: string) => files.get(path) ?? (known.has(path) ? new TextDecoder().decode(await req.workspace.read(path)) : "");
  for (const line of req.code.split("\n")) {
    const [cmd, path = "", ...rest] = line.split(" ");
    const text = rest.join(" ");
    if (cmd === "print") stdout += `${[path, ...rest].join(" ")}\n`;
    else if (cmd === "append" || cmd === "write") {
      const next = (cmd === "append" ? await read(path) : "") + text + (cmd === "append" ? "\n" : "");
      files.set(path, next);
      await new Promise((r) => setTimeout(r, 1));
    } else if (cmd === "delete") entries.push({ op: "delete", path });
    else if (cmd === "cat") stdout += await read(path);
    else if (cmd === "fail") {
      stderr += `FakeError: ${[path, ...rest].join(" ")}\n`;
      exitCode = 1;
    } else if (cmd === "trap") trapReason = path as RawRun["trapReason"];
  }
  for (const [path, data] of files) entries.push({ op: "write", path, data: new TextEncoder().encode(data) });
  const journal: Journal = { entries };
  return {
    exitCode,
    trapReason,
    trapMessage: trapReason,
    stdout,
    stderr,
    stdoutTruncated: false,
    stderrTruncated: false,
    fuelConsumed: req.code.length * 10,
    memoryUsedBytes: 65536,
    durationMs: 1,
    journal,
  };
}
