/**
 * Loading the server's optional peer dependencies (Ruby, Lua and WebAssembly runtimes,
 * S3 storage): absent is a normal state with a clear way out, never a stack trace.
 */

/** How to add `pkg` next to the server, for each way it is usually run. */
export function addPackageHint(pkg: string): string {
  return (
    `install ${pkg} next to the server — global install: \`npm install -g ${pkg}\`; ` +
    `with npx: \`npx -y -p @llm-wasm-sandbox/mcp-server -p ${pkg} llm-wasm-mcp\`; in a project: \`npm install ${pkg}\``
  );
}

/**
 * Imports `pkg`, or returns null when `pkg` itself is not installed. Anything else —
 * a dependency of `pkg` missing, an error while loading it — is thrown: a broken
 * install must be loud, not look like an absent one.
 */
export async function importOptional<T>(pkg: string): Promise<T | null> {
  try {
    return (await import(/* @vite-ignore */ pkg)) as T;
  } catch (e) {
    if (isNotFound(e, pkg)) return null;
    throw e;
  }
}

function isNotFound(e: unknown, pkg: string): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  // Node names the package it could not find: `Cannot find package 'x' imported from …`.
  return typeof message === "string" && (message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`));
}
