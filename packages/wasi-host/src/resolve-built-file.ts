import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core";

/**
 * Resolves a file of a package's build output (`dist/`) from any module of that package,
 * whether the caller runs from source (`src/…`, as under vitest with the `source` export
 * condition) or from the build (`dist/…`, possibly bundled into a chunk).
 *
 * Worker threads and worker-side drivers must be plain JavaScript, so code that hands a
 * file to a worker (the pool's worker entry, a runtime's driver) resolves it with this:
 * `resolveBuiltFile(import.meta.url, "drivers/wasi-command.js")`.
 *
 * When running from source the build must exist: run
 * `npx turbo run build --filter=@llm-wasm-sandbox/wasi-host...` (and the same for a runtime
 * package whose driver is resolved) before the tests.
 *
 * @param importMetaUrl `import.meta.url` of the calling module (any depth under `src/` or `dist/`).
 * @param relativeJsPath Path relative to the package's `dist/` directory, e.g. `"worker.js"`.
 * @returns The file URL (string) of the built file.
 * @throws SandboxExecutionError when the built file does not exist (names the build command).
 */
export function resolveBuiltFile(importMetaUrl: string, relativeJsPath: string): string {
  const callerPath = fileURLToPath(importMetaUrl);
  const root = packageRootOf(callerPath);
  if (root === null) {
    throw new SandboxExecutionError(
      `cannot locate the package of ${callerPath}: it is neither under a src/ nor a dist/ directory — pass a module of the package as importMetaUrl`,
    );
  }
  const target = `${root}/dist/${relativeJsPath.replace(/^\.?\//, "")}`;
  if (!existsSync(target)) {
    throw new SandboxExecutionError(
      `built file ${target} is missing — build the package first (npx turbo run build --filter=<package>...), worker threads need its JavaScript output`,
    );
  }
  return pathToFileURL(target).href;
}

/** The directory holding the last `src/` or `dist/` segment of `file`, or null. */
function packageRootOf(file: string): string | null {
  const normalized = file.replaceAll("\\", "/");
  const match = /^(.*)\/(?:src|dist)\/[^]*$/.exec(normalized);
  return match?.[1] ?? null;
}
