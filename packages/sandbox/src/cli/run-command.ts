import { extname } from "node:path";
import { type ExecutionPolicyInput, type SandboxResult, SandboxError } from "@llm-wasm-sandbox/core";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { type Command, Option } from "commander";
import { createSandbox } from "../create-sandbox.js";
import { loadExternalFiles } from "../external-files.js";
import { readPolicyFile } from "../load-policy.js";
import { readProgramFile } from "../program-file.js";
import { closeAllEngines } from "../runtime-discovery.js";
import { processExitCode, summaryLine } from "./format.js";
import { collectEnv, parseCount, parseSize } from "./parse-size.js";
import { withSpinner } from "./spinner.js";

/** File extension → runtime. */
export const EXTENSION_RUNTIMES: Readonly<Record<string, string>> = {
  ".py": "python",
  ".js": "javascript",
  ".mjs": "javascript",
  ".rb": "ruby",
  ".lua": "lua",
  ".wasm": "wasm",
  ".wat": "wasm",
};

interface RunFlags {
  runtime?: string;
  fuel?: number;
  memory?: number;
  timeout?: number;
  config?: string;
  session?: string;
  workspace?: string;
  env?: Record<string, string>;
  external?: string[];
  deterministic?: boolean;
  autoPersistGlobals?: boolean;
  json?: boolean;
  summary: boolean;
}

/** `llm-wasm-sandbox run <file> [args...]` */
export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("run a program file in the sandbox; the runtime is picked from the extension (.py .js .mjs .rb .lua .wasm .wat)")
    .argument("<file>", "program to run")
    .argument("[args...]", "arguments passed to the program")
    .option("-r, --runtime <name>", "runtime to use instead of the one the extension implies")
    .option("--fuel <n>", "fuel budget (WebAssembly instructions)", parseCount)
    .option("--memory <size>", "memory cap, e.g. 64MiB", parseSize)
    .option("--timeout <ms>", "wall-clock limit in milliseconds", parseCount)
    .option("-c, --config <file>", "policy TOML file (sandbox.toml)")
    .option("-s, --session <id>", "run in this session (created if missing) so files persist between runs")
    .option("-w, --workspace <dir>", "session storage directory (default ./workspace when --session is given)")
    .option("-e, --env <KEY=VALUE>", "environment variable for the guest (repeatable)", collectEnv)
    .option("--external <file...>", "host files mounted read-only at /external")
    .option("--deterministic", "frozen clocks and seeded randomness")
    .option("--auto-persist-globals", "keep the program's globals for the next run of the session")
    .option("--json", "print the full result as JSON on stdout instead of the program's output")
    .addOption(new Option("--no-summary", "do not print the summary line on stderr"))
    .action(async (file: string, args: string[], flags: RunFlags) => {
      process.exitCode = await runFile(file, args, flags);
    });
}

async function runFile(file: string, args: string[], flags: RunFlags): Promise<number> {
  try {
    const runtime = flags.runtime ?? EXTENSION_RUNTIMES[extname(file).toLowerCase()];
    if (!runtime) {
      process.stderr.write(`llm-wasm-sandbox: cannot tell the runtime of "${file}" from its extension; pass --runtime\n`);
      return 2;
    }
    const code = await readProgramFile(file);
    const policy: ExecutionPolicyInput = {
      ...(flags.config ? await readPolicyFile(flags.config) : {}),
      ...(flags.fuel !== undefined ? { fuelBudget: flags.fuel } : {}),
      ...(flags.memory !== undefined ? { memoryBytes: flags.memory } : {}),
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
      ...(flags.env ? { env: flags.env } : {}),
      ...(flags.deterministic ? { deterministic: true } : {}),
    };
    const persistent = flags.session !== undefined || flags.workspace !== undefined;
    const sandbox = await withSpinner(`Preparing the ${runtime} runtime (the first run instruments and caches it)…`, async () =>
      createSandbox({
        runtime,
        policy,
        ...(persistent ? { workspaceRoot: flags.workspace ?? "./workspace", createIfMissing: true } : { storage: memoryStorage() }),
        ...(flags.session ? { sessionId: flags.session } : {}),
        ...(flags.autoPersistGlobals ? { autoPersistGlobals: true } : {}),
        ...(flags.external?.length ? { mounts: [await loadExternalFiles(flags.external)] } : {}),
      }),
    );
    const result = await sandbox.execute(code, { args });
    report(result, flags);
    return processExitCode(result);
  } catch (e) {
    process.stderr.write(`${SandboxError.isInstance(e) ? e.message : String((e as Error)?.stack ?? e)}\n`);
    return 2;
  } finally {
    await closeAllEngines();
  }
}

function report(result: SandboxResult, flags: RunFlags): void {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (flags.summary) {
    if (result.stdout && !result.stdout.endsWith("\n")) process.stdout.write("\n");
    process.stderr.write(`${summaryLine(result)}\n`);
    if (result.errorGuidance && result.trapReason) process.stderr.write(`   ${result.errorGuidance.actionableGuidance.join("\n   ")}\n`);
  }
}
