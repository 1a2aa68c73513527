/**
 * Where `import` may look: files under /app (the session) and /data_js (vendored
 * utilities). Bare names resolve to vendored utilities (`import { parse } from "csv"`);
 * Node built-ins and packages do not exist in the sandbox.
 */
import { posix } from "node:path";

/** Guest directory of the vendored utilities. */
export const VENDOR_DIR = "/data_js";
const ROOTS = ["/app/", `${VENDOR_DIR}/`];
const EXTENSIONS = ["", ".js", ".mjs"];

/** A module specifier that cannot be imported; the message says what can. */
export class ModuleResolutionError extends Error {
  constructor(specifier: string, reason: string) {
    super(`Cannot find module '${specifier}'${reason ? ` (${reason})` : ""}`);
    this.name = "Error";
  }
}

/**
 * Resolves `requested`, imported from the module `base`, to an absolute guest path.
 * @param isFile Whether a guest path names an existing regular file.
 * @throws ModuleResolutionError when it points outside /app and /data_js or names nothing.
 */
export function resolveModule(base: string, requested: string, isFile: (path: string) => boolean): string {
  let candidate: string;
  if (requested.startsWith("./") || requested.startsWith("../")) {
    const baseDir = base.startsWith("/") ? posix.dirname(base) : "/app";
    candidate = posix.normalize(posix.join(baseDir, requested));
  } else if (requested.startsWith("/")) {
    candidate = posix.normalize(requested);
  } else if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(requested)) {
    candidate = `${VENDOR_DIR}/${requested}`;
  } else {
    throw new ModuleResolutionError(requested, "only files under /app and the vendored utilities in /data_js can be imported; Node built-ins and npm packages are not available");
  }
  if (!ROOTS.some((root) => candidate.startsWith(root))) {
    throw new ModuleResolutionError(requested, "modules can only be imported from /app and /data_js");
  }
  for (const ext of EXTENSIONS) {
    if (isFile(candidate + ext)) return candidate + ext;
  }
  const bare = candidate.startsWith(`${VENDOR_DIR}/`) && !requested.startsWith("/") && !requested.startsWith(".");
  throw new ModuleResolutionError(
    requested,
    bare ? "no such vendored utility; npm packages are not available in the sandbox, see listFiles(\"/data_js\")" : `no such file: ${candidate}`,
  );
}

/** Whether source text uses static `import`/`export` declarations (so must run as a module). */
export function hasModuleSyntax(code: string): boolean {
  return /(^|[;}\n])\s*(import\s+[\w$]|import\s*[*{"']|export\s+[\w$]|export\s*[*{])/.test(code);
}
