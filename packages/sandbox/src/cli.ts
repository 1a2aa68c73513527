#!/usr/bin/env node
import { cliErrorMessage } from "./cli/errors.js";
import { buildProgram } from "./cli/program.js";

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`${cliErrorMessage(e)}\n`);
  process.exitCode = 2;
}
