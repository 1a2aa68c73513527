import { createRequire } from "node:module";

/** Version of the llm-wasm-sandbox package (self-reference: works from src/ and from the bundled dist/). */
export function cliVersion(): string {
  return (createRequire(import.meta.url)("llm-wasm-sandbox/package.json") as { version: string }).version;
}
