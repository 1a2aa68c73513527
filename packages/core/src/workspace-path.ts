import { InvalidPathError } from "./errors/invalid-path-error.js";

/** Re-exported for the `@llm-wasm-sandbox/core/workspace-path` subpath (zod-free; used by worker threads). */
export { InvalidPathError };

export const MAX_PATH_LENGTH = 1024;
export const MAX_NAME_LENGTH = 255;

/**
 * Files the sandbox itself keeps in a workspace (state persistence); they are
 * hidden from file listings and from filesCreated/Modified/Deleted.
 */
export const INTERNAL_DIR = ".llm-sandbox";

/**
 * Environment every built-in runtime gives its guest (the plugins' `envAdditions`; a name
 * in the policy's `env` wins): a home directory, the workspace, and a user name, so that
 * `~`, Ruby's `Dir.home`, Python's `Path.home()` / `expanduser` / `getpass.getuser()` and
 * the like work as they do on a machine.
 */
export const GUEST_HOME_ENV: Readonly<Record<string, string>> = Object.freeze({ HOME: "/app", USER: "sandbox", LOGNAME: "sandbox" });

/** True for paths inside the sandbox's own INTERNAL_DIR. */
export function isInternalPath(path: string): boolean {
  return path === INTERNAL_DIR || path.startsWith(`${INTERNAL_DIR}/`);
}

/**
 * Canonicalizes a workspace-relative path: `a//b/./c` → `a/b/c`. A leading `/app/`
 * is accepted and removed, since guests see the workspace there.
 * @throws InvalidPathError for absolute paths outside /app, `..`, NUL bytes,
 *   backslashes, empty names and over-long names.
 */
export function canonicalWorkspacePath(path: unknown, options: { allowRoot?: boolean } = {}): string {
  if (typeof path !== "string") throw new InvalidPathError(String(path), "must be a string");
  if (path.includes("\0")) throw new InvalidPathError(path, "contains a NUL byte");
  if (path.includes("\\")) throw new InvalidPathError(path, "contains a backslash");
  if (path.length > MAX_PATH_LENGTH) throw new InvalidPathError(path, `longer than ${MAX_PATH_LENGTH} characters`);
  let rest = path;
  if (rest === "/app" || rest.startsWith("/app/")) rest = rest.slice(4);
  else if (rest.startsWith("/")) throw new InvalidPathError(path, "absolute paths must be under /app");
  const parts: string[] = [];
  for (const seg of rest.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") throw new InvalidPathError(path, "'..' is not allowed");
    if (seg.length > MAX_NAME_LENGTH) throw new InvalidPathError(path, `a name is longer than ${MAX_NAME_LENGTH} characters`);
    if (hasControlChar(seg)) throw new InvalidPathError(path, "contains control characters");
    parts.push(seg);
  }
  if (parts.length === 0 && !options.allowRoot) throw new InvalidPathError(path, "names the workspace root, not a file");
  return parts.join("/");
}

function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}
