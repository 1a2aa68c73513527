/** One Lua harness per test file (glue.wasm compiled once per runner). */
import type { ReadonlyMount } from "@llm-wasm-sandbox/core";
import { createRuntimeHarness, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { luaPlugin } from "../src/index.js";

/** A harness over the Lua plugin, with optional extra mounts. */
export function luaHarness(mounts: readonly ReadonlyMount[] = []): RuntimeHarness {
  return createRuntimeHarness(luaPlugin, mounts);
}
