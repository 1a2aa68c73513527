/** One Lua engine per test file (glue.wasm compiled once per process). */
import { createRuntimeHarness, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import type { ReadonlyMount, RuntimeEngine } from "@llm-wasm-sandbox/core";
import { luaPlugin } from "../src/index.js";

/** A harness over the Lua plugin's engine, with optional extra mounts. */
export function luaHarness(mounts: readonly ReadonlyMount[] = []): Promise<RuntimeHarness & { engine: RuntimeEngine }> {
  return createRuntimeHarness(luaPlugin, mounts);
}
