#!/usr/bin/env node
import { cliErrorMessage } from "./cli/errors.js";
import { buildProgram } from "./cli/program.js";

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`${cliErrorMessage(e)}\n`);
  process.exitCode = 2;
}
// Every command awaited its own work (a run closes its host: cache writes, marks and the
// prune are done by then). Exit now instead of waiting for the event loop to drain, which
// waits for the worker threads to tear down their heaps (up to ~0.5 s after a Ruby run).
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();

/** Resolves once everything written to `stream` so far was handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
