/**
 * A new process's first execute (issue 18), exactly as a user writes it: the package's
 * public entry, the default host (warm disk cache, disk storage under the working
 * directory), one `execute`. Prints JSON: when the package's imports were done, when the
 * sandbox was created and when the result came, all in ms since the process started
 * (`performance.timeOrigin`), plus the process's CPU time at the result.
 * Run by `first-execute.mjs`, never on its own in a measurement.
 *
 *     node first-execute-child.mjs <runtime>
 */
/* global performance */
import { createSandbox } from "llm-wasm-sandbox";

const importedAtMs = performance.now();
const runtime = process.argv[2] ?? "python";
const sandbox = await createSandbox({ runtime });
const createdAtMs = performance.now();
const result = await sandbox.execute(printOne(runtime));
const resultAtMs = performance.now();
const cpu = process.cpuUsage();
if (result.stdout !== "1\n") throw new Error(`${runtime}: unexpected result ${JSON.stringify(result.stdout)} ${result.stderr}`);
process.stdout.write(`${JSON.stringify({ importedAtMs, createdAtMs, resultAtMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
process.exit(0);

/** The runtime's `print(1)`. */
function printOne(name) {
  return { python: "print(1)", javascript: "console.log(1)", ruby: "puts 1", lua: "print(1)" }[name] ?? "print(1)";
}
