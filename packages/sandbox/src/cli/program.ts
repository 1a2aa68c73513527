import { Command } from "commander";
import { registerRunCommand } from "./run-command.js";
import { registerRuntimesCommand } from "./runtimes-command.js";
import { registerSessionsCommand } from "./sessions-command.js";
import { registerVendorCommand } from "./vendor-command.js";
import { cliVersion } from "./version.js";

/** The `llm-wasm-sandbox` command line. */
export function buildProgram(): Command {
  const program = new Command("llm-wasm-sandbox")
    .description("Run Python, JavaScript, Ruby, Lua and WebAssembly in a WebAssembly sandbox with hard limits.")
    .version(cliVersion())
    .showHelpAfterError();
  registerRunCommand(program);
  registerRuntimesCommand(program);
  registerSessionsCommand(program);
  registerVendorCommand(program);
  return program;
}
