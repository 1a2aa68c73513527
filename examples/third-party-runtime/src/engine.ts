/**
 * The Tally engine: the interpreter (dist/tally.wasm) loaded once through wasi-host's
 * `loadModule` (metered, memory-imported, cached on disk), then one `run` per execution
 * with the user's code as a seed file at /app/user_code.tally.
 */
import { fileURLToPath } from "node:url";
import type { ExecutionRequest, LanguageError, RawRun, RunInterpretation, RuntimeEngine, RuntimeLoadOptions } from "@llm-wasm-sandbox/core";
import { loadModule, run, runLimitsFromPolicy } from "@llm-wasm-sandbox/wasi-host";

/** Creates the engine; compiles the interpreter once per process. */
export async function createTallyEngine(options: RuntimeLoadOptions): Promise<RuntimeEngine> {
  const wasmPath = fileURLToPath(new URL("../dist/tally.wasm", import.meta.url));
  const image = await loadModule(wasmPath, { name: "tally.wasm", ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  return {
    languageVersion: "Tally 1.0",
    execute(request: ExecutionRequest): Promise<RawRun> {
      const p = request.policy;
      return run({
        image,
        argv: ["tally", "/app/user_code.tally", ...(request.args ?? [])],
        env: { ...p.env }, // only what the policy grants
        workspace: request.workspace,
        mounts: request.mounts,
        seedFiles: { "user_code.tally": new TextEncoder().encode(request.code) },
        limits: runLimitsFromPolicy(p),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },
    interpret(raw: RawRun): RunInterpretation {
      const success = raw.exitCode === 0 && raw.trapReason === null;
      return { success, languageError: success ? null : tallyError(raw.stderr) };
    },
    async close() {
      // The compiled module is shared process-wide; workers belong to wasi-host's pool.
    },
  };
}

/** Parses the interpreter's `tally: line N: message` report. */
export function tallyError(stderr: string): LanguageError | null {
  const m = /^tally: line (\d+): (.*)$/m.exec(stderr);
  if (!m) return null;
  const message = `line ${m[1]}: ${m[2]}`;
  if (m[2]!.startsWith("syntax error")) {
    return { name: "SyntaxError", message, kind: "SyntaxError", guidance: ["Tally commands: print, repeat N, sum N, env, write, cat, alloc, fail, forever — one per line."] };
  }
  return { name: "TallyError", message };
}
