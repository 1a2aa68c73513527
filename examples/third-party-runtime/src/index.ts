/**
 * `llm-sandbox-runtime-tally`: an example third-party runtime plugin. Tally is a tiny
 * line-oriented language (see src/tally.wat) whose interpreter is a WASI preview1
 * command; the sandbox meters it, caps its memory and output, and gives it /app.
 *
 * ```ts
 * import { registerRuntime } from "@llm-wasm-sandbox/core";
 * import { createSandbox } from "llm-wasm-sandbox";
 * import tally from "llm-sandbox-runtime-tally";
 *
 * registerRuntime(tally);
 * const sandbox = await createSandbox({ runtime: "tally" });
 * console.log((await sandbox.execute("print hi")).stdout); // "hi\n"
 * ```
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { ImageSource, LanguageError, RuntimePlugin } from "@llm-wasm-sandbox/core";
import { wasiCommandDriver } from "@llm-wasm-sandbox/wasi-host";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** The interpreter: the host reads, meters, caches and compiles it once, on first use. */
const image: ImageSource = {
  id: `${pkg.name}@${pkg.version}/tally.wasm`,
  name: "tally.wasm",
  load: async () => fileURLToPath(new URL("../dist/tally.wasm", import.meta.url)),
};

/** The Tally runtime plugin: `prepare` describes a run, the host runs it, `interpret` reads it. */
export const tallyPlugin: RuntimePlugin = Object.freeze({
  specificationVersion: "v2",
  type: "tally",
  displayName: "Tally (example plugin)",
  languageVersion: "Tally 1.0",
  fileExtension: ".tally",
  packageName: pkg.name,
  version: pkg.version,
  // Tally needs little: a tighter default budget than the sandbox's default fuel.
  defaults: { fuelBudget: 1_000_000_000 },
  prepare: (request) => ({
    kind: "run",
    image,
    // A plain WASI command: wasi-host's own driver instantiates it and calls _start.
    driver: wasiCommandDriver(),
    argv: ["tally", "/app/user_code.tally", ...request.args],
  }),
  interpret: (raw) => ({ languageError: raw.exitCode === 0 ? null : tallyError(raw.stderr) }),
} satisfies RuntimePlugin);

export default tallyPlugin;

/**
 * Reads the interpreter's `tally: line N: message` report. A Tally program reaches stderr
 * only through that report (`fail TEXT`), so reading it can only describe the program's
 * own failure; a language whose programs write stderr freely should report its errors on
 * the control channel instead (see the built-in runtimes' bootstraps and drivers).
 */
export function tallyError(stderr: string): LanguageError | null {
  const m = /^tally: line (\d+): (.*)$/m.exec(stderr);
  if (!m) return null;
  const message = `line ${m[1]}: ${m[2]}`;
  if (m[2]!.startsWith("syntax error")) {
    return { name: "SyntaxError", message, kind: "SyntaxError", guidance: ["Tally commands: print, repeat N, sum N, env, write, cat, alloc, fail, forever — one per line."] };
  }
  return { name: "TallyError", message };
}
