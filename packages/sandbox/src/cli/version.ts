import { createRequire } from "node:module";

/** Version of the llm-wasm-sandbox package. */
export function cliVersion(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}
