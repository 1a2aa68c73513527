import { CommonErrorType, type ExecutionPolicyInput, renderGuidance, type SandboxResult } from "@llm-wasm-sandbox/core";
import { saveStartHint } from "@llm-wasm-sandbox/wasi-host/host";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { type Command, Option } from "commander";
import { createSandbox } from "../create-sandbox.js";
import { loadExternalFiles } from "../external-files.js";
import { closeDefaultHost, defaultHost } from "../sandbox-host.js";
import { cliErrorMessage } from "./errors.js";
import { processExitCode, summaryLine } from "./format.js";
import { collectEnv, collectList, parseCount, parseSize } from "./parse-size.js";
import { type ProgramSource, readProgramSource } from "./program-source.js";
import { registerPluginModules } from "./plugins.js";
import { startSpinner } from "./spinner.js";

interface RunFlags {
  code?: string;
  eval?: string;
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
  plugin?: string[];
  summary: boolean;
}

/** Which streams of the program's output were already printed while it ran. */
interface Streamed {
  stdout: boolean;
  stderr: boolean;
}

const USAGE_EXAMPLES = `
Examples:
  llm-wasm-sandbox run script.py input.csv --verbose   arguments after the file go to the program
  llm-wasm-sandbox run -r python -c "print(6 * 7)"      inline code, like python -c
  llm-wasm-sandbox run -r javascript -e "console.log(1)" inline code, like node -e / ruby -e
  cat job.rb | llm-wasm-sandbox run -r ruby -           the program from stdin
  llm-wasm-sandbox run --external a.csv --external b.csv job.py   two read-only files at /external
Options of llm-wasm-sandbox go before the file; everything after it is the program's.`;

/** `llm-wasm-sandbox run [options] <file | - | -c CODE> [args...]` */
export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("run a program in the sandbox: a file (runtime from its extension, e.g. .py .js .rb .lua .wat), - for stdin, or -c/-e CODE")
    .usage("[options] <file | - | -c CODE> [args...]")
    .argument("[file]", "program file, or - to read the program from stdin")
    .argument("[args...]", "arguments passed to the program (everything after the file)")
    .option("-c, --code <code>", "run this code instead of a file (like python -c); needs --runtime")
    .option("-e, --eval <code>", "same as --code (like node -e and ruby -e)")
    .option("-r, --runtime <name>", "runtime to use instead of the one the extension implies")
    .option("--fuel <n>", "fuel budget (WebAssembly instructions)", parseCount)
    .option("--memory <size>", "memory cap, e.g. 64MiB", parseSize)
    .option("--timeout <ms>", "wall-clock limit in milliseconds", parseCount)
    .option("--config <file>", "policy TOML file (sandbox.toml)")
    .option("-s, --session <id>", "run in this session (created if missing) so files persist between runs")
    .option("-w, --workspace <dir>", "session storage directory (default ./workspace when --session is given)")
    .option("--env <KEY=VALUE>", "environment variable for the guest (repeatable)", collectEnv)
    .option("--external <file>", "host file mounted read-only at /external/<name> (repeatable: one file per --external)", collectList)
    .option("--deterministic", "frozen clocks and seeded randomness")
    .option("--auto-persist-globals", "keep the program's globals for the next run of the session")
    .option("--json", "print the full result as JSON on stdout instead of the program's output")
    .option("--plugin <module>", "load a third-party runtime plugin (package name or file path; repeatable); its file extensions work too", collectList)
    .addOption(new Option("--no-summary", "do not print the summary line on stderr"))
    .passThroughOptions()
    .addHelpText("after", USAGE_EXAMPLES)
    .action(async (file: string | undefined, args: string[], flags: RunFlags) => {
      process.exitCode = await run(file, args, flags);
    });
}

async function run(file: string | undefined, args: string[], flags: RunFlags): Promise<number> {
  try {
    if (flags.code !== undefined && flags.eval !== undefined) throw new Error("pass either -c or -e, not both");
    // The worker thread boots while this thread still imports the runtime's plugin.
    defaultHost().runner.start();
    if (flags.plugin?.length) await registerPluginModules(flags.plugin);
    const inline = flags.code ?? flags.eval;
    const source = await readProgramSource({
      ...(inline !== undefined ? { inline } : {}),
      ...(file !== undefined ? { file } : {}),
      args,
      ...(flags.runtime ? { runtime: flags.runtime } : {}),
    });
    const { result, autoPersistGlobals, streamed } = await execute(source, flags);
    report(result, flags, autoPersistGlobals, streamed);
    // What this run loaded, for the next run of this runtime to start on (see the bin).
    await saveStartHint(defaultHost().cacheDir, source.runtime);
    return processExitCode(result);
  } catch (e) {
    process.stderr.write(`${cliErrorMessage(e)}\n`);
    return 2;
  } finally {
    await closeDefaultHost();
  }
}

/**
 * Runs the program, printing its output as it comes (unless --json): a long program shows
 * its first lines while it still runs. A spinner covers the wait before the first output
 * (a runtime's first run compiles and caches it) and stops as soon as output arrives.
 */
async function execute(source: ProgramSource, flags: RunFlags): Promise<{ result: SandboxResult; autoPersistGlobals: boolean; streamed: Streamed }> {
  const policy: ExecutionPolicyInput = {
    // The TOML parser loads only for --config: most runs never pay for it.
    ...(flags.config ? await (await import("../load-policy.js")).readPolicyFile(flags.config) : {}),
    ...(flags.fuel !== undefined ? { fuelBudget: flags.fuel } : {}),
    ...(flags.memory !== undefined ? { memoryBytes: flags.memory } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    ...(flags.env ? { env: flags.env } : {}),
    ...(flags.deterministic ? { deterministic: true } : {}),
  };
  const persistent = flags.session !== undefined || flags.workspace !== undefined;
  const sandbox = await createSandbox({
    runtime: source.runtime,
    policy,
    ...(persistent ? { workspaceRoot: flags.workspace ?? "./workspace", createIfMissing: true } : { storage: memoryStorage() }),
    ...(flags.session ? { sessionId: flags.session } : {}),
    ...(flags.autoPersistGlobals ? { autoPersistGlobals: true } : {}),
    ...(flags.external?.length ? { mounts: [await loadExternalFiles(flags.external)] } : {}),
  });
  const streamed: Streamed = { stdout: false, stderr: false };
  const spinner = startSpinner(`Running the ${source.runtime} program (a runtime's first run compiles and caches it)…`);
  const print = (stream: "stdout" | "stderr") => (text: string) => {
    spinner.stop();
    streamed[stream] = true;
    process[stream].write(text);
  };
  try {
    const result = await sandbox.execute(source.code, { args: source.args, ...(flags.json ? {} : { onStdout: print("stdout"), onStderr: print("stderr") }) });
    return { result, autoPersistGlobals: sandbox.autoPersistGlobals, streamed };
  } finally {
    spinner.stop();
  }
}

function report(result: SandboxResult, flags: RunFlags, autoPersistGlobals: boolean, streamed: Streamed): void {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  // What was not streamed (a refused program's reason never reaches the guest's streams).
  if (!streamed.stdout) process.stdout.write(result.stdout);
  if (!streamed.stderr) process.stderr.write(result.stderr);
  if (flags.summary) {
    if (result.stdout && !result.stdout.endsWith("\n")) process.stdout.write("\n");
    process.stderr.write(`${summaryLine(result)}\n`);
    // Guidance for limits and missing packages; a language error's own traceback is already on stderr.
    if (result.trapped || (!result.success && result.errorGuidance.errorType === CommonErrorType.MISSING_PACKAGE)) {
      process.stderr.write(`   ${renderGuidance(result.errorGuidance.steps, { channel: "cli", autoPersistGlobals }).join("\n   ")}\n`);
    }
  }
}
