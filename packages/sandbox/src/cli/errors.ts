import { errorMessageFor, SandboxError } from "@llm-wasm-sandbox/core";

/** A problem with how the CLI was called (bad flag combination, unreadable input): exit code 2, one line. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a parent of it is not a directory",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
};

/**
 * The one line the CLI prints for an error: our own errors' messages, file-system errors
 * named by path and cause, anything else by its message. Never a stack trace unless
 * `LLM_SANDBOX_DEBUG=1` asks for one.
 */
export function cliErrorMessage(e: unknown): string {
  if (process.env.LLM_SANDBOX_DEBUG === "1" && e instanceof Error && e.stack) return e.stack;
  if (SandboxError.isInstance(e)) {
    const forCli = errorMessageFor(e, "cli");
    return forCli === null ? e.message : `[llm-wasm-sandbox] ${forCli}`;
  }
  if (e instanceof CliUsageError) return `llm-wasm-sandbox: ${e.message}`;
  const sys = e as { code?: unknown; path?: unknown; message?: unknown };
  if (typeof sys.code === "string" && SYSTEM_ERRORS[sys.code]) {
    return `llm-wasm-sandbox: cannot read ${typeof sys.path === "string" ? `"${sys.path}"` : "the input"}: ${SYSTEM_ERRORS[sys.code]}`;
  }
  const message = typeof sys.message === "string" ? sys.message : String(e);
  return `llm-wasm-sandbox: ${message.split("\n")[0]}`;
}
