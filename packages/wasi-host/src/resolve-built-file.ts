import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
// The zod-free entry: the prestart entry and worker threads import this file.
import { SandboxExecutionError } from "@llm-wasm-sandbox/core/errors";

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
 * When the caller was bundled into an application (its module is neither under `src/` nor
 * `dist/`), `packageName` is resolved from the bundle's location (directly, or through the
 * `llm-wasm-sandbox` package it installed) instead, so the worker files of the installed
 * package are found.
 *
 * @param importMetaUrl `import.meta.url` of the calling module (any depth under `src/` or `dist/`).
 * @param relativeJsPath Path relative to the package's `dist/` directory, e.g. `"thread/worker.js"`.
 * @param packageName The package the file belongs to, for callers that may be bundled.
 * @returns The file URL (string) of the built file.
 * @throws SandboxExecutionError when the built file does not exist (names the build command).
 */
export function resolveBuiltFile(importMetaUrl: string, relativeJsPath: string, packageName?: string): string {
  const callerPath = fileURLToPath(importMetaUrl);
  const root = packageRootOf(callerPath) ?? (packageName === undefined ? null : installedRoot(importMetaUrl, packageName));
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

/** This package's name, for resolving its own built files from a bundle. */
export const PACKAGE_NAME = "@llm-wasm-sandbox/wasi-host";

/**
 * The directory of this package's `dist/` that holds what worker threads load by URL (the
 * pool thread's entry and handlers, the run machinery, the preparers, the session worker,
 * the built-in drivers): a build of its own (see `tsup.config.ts`).
 */
export const THREAD_DIR = "thread";

/**
 * The root directory of `packageName` as resolved from `fromUrl` — or, when the
 * application does not depend on it directly (a strict pnpm layout), through the umbrella
 * package `llm-wasm-sandbox` the application does depend on; null when neither finds it.
 */
function installedRoot(fromUrl: string, packageName: string): string | null {
  const from = (base: string): string | null => {
    try {
      return dirname(createRequire(base).resolve(`${packageName}/package.json`));
    } catch {
      return null;
    }
  };
  const direct = from(fromUrl);
  if (direct !== null) return direct;
  try {
    return from(createRequire(fromUrl).resolve("llm-wasm-sandbox/package.json"));
  } catch {
    return null;
  }
}

/** The directory holding the last `src/` or `dist/` segment of `file`, or null. */
function packageRootOf(file: string): string | null {
  const normalized = file.replaceAll("\\", "/");
  const match = /^(.*)\/(?:src|dist)\/[^]*$/.exec(normalized);
  return match?.[1] ?? null;
}
