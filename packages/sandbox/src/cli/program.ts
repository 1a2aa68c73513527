import { Command } from "commander";
import { registerCacheCommand } from "./cache-command.js";
import { registerRunCommand } from "./run-command.js";
import { registerRuntimesCommand } from "./runtimes-command.js";
import { registerSessionsCommand } from "./sessions-command.js";
import { registerVendorCommand } from "./vendor-command.js";
import { cliVersion } from "./version.js";

/**
 * The `llm-wasm-sandbox` command line. Usage errors (unknown flag, missing argument)
 * print one line naming the problem and where to look, never the whole help.
 */
export function buildProgram(): Command {
  const program = new Command("llm-wasm-sandbox")
    .description("Run Python, JavaScript, Ruby, Lua and WebAssembly in a WebAssembly sandbox with hard limits.")
    .version(cliVersion())
    .enablePositionalOptions()
    .showSuggestionAfterError(true);
  registerRunCommand(program);
  registerRuntimesCommand(program);
  registerSessionsCommand(program);
  registerVendorCommand(program);
  registerCacheCommand(program);
  oneLineErrors(program, "llm-wasm-sandbox");
  return program;
}

/**
 * commander's "error: unknown option '--x'\n(Did you mean --y?)" as one line, for every
 * (sub)command, and exit status 2 for usage errors (as getopt tools do); help and
 * --version still exit 0.
 */
function oneLineErrors(cmd: Command, path: string): void {
  cmd.configureOutput({
    outputError: (text, write) => write(`llm-wasm-sandbox: ${text.trim().replace(/\s*\n\s*/g, " ").replace(/^error: /, "")} — see ${path} --help\n`),
  });
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  for (const sub of cmd.commands) oneLineErrors(sub, `${path} ${sub.name()}`);
}
