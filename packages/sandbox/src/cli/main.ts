import { cliErrorMessage } from "./errors.js";
import { buildProgram } from "./program.js";

/**
 * Runs the command line in `argv` and exits the process. Every command awaited its own
 * work (a run closes its host: cache writes, marks and the prune are done by then), so
 * the process exits as soon as its output is flushed instead of waiting for the event
 * loop to drain, which waits for the worker threads to tear down their heaps (up to
 * ~0.5 s after a Ruby run).
 */
export async function main(argv: readonly string[]): Promise<never> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (e) {
    process.stderr.write(`${cliErrorMessage(e)}\n`);
    process.exitCode = 2;
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

/** Resolves once everything written to `stream` so far was handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
