/**
 * Host functions for raw WebAssembly: the `llm_sandbox` import (src/host-calls.ts) through
 * the real runner, with a tool handler standing in for the umbrella's. The attacks shared
 * with the other languages (flood, huge arguments, hanging handler, …) run through
 * createSandbox in packages/sandbox/test/attacks/host-functions.test.ts.
 */
import { readFileSync } from "node:fs";
import { createRuntimeHarness, MemoryWorkspace, prepareRequest, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import type { ToolCallHandler } from "@llm-wasm-sandbox/wasi-host";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasmPlugin } from "../src/index.js";
import { example } from "./snippets.js";

let h: RuntimeHarness;
beforeAll(() => {
  h = createRuntimeHarness(wasmPlugin);
});
afterAll(async () => {
  await h?.close();
});

const calls: { tool: string; args: string }[] = [];
const onToolCall: ToolCallHandler = async (call) => {
  calls.push(call);
  if (call.tool === "search") return { ok: true, value: JSON.stringify([{ title: "Fuel in WebAssembly", query: JSON.parse(call.args).query }]) };
  if (call.tool === "long") return { ok: true, value: JSON.stringify("z".repeat(100)) };
  return { ok: false, error: { name: "UnknownTool", message: `no host function "${call.tool}"` } };
};

async function run(code: string) {
  const request = prepareRequest(wasmPlugin, code);
  const { raw } = await h.runner.execute(wasmPlugin, { request, workspace: new MemoryWorkspace().source(), onToolCall, toolManifest: "[]" });
  return raw;
}

/** A module around `body`, with `$call`, `$reply`, `$print` (bytes) and `$num` (a number and a newline). */
function module(body: string, data = ""): string {
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "llm_sandbox" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "llm_sandbox" "reply" (func $reply (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ${data}
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $num (param $n i32)
    (local $p i32) (local $neg i32)
    (local.set $p (i32.const 200))
    (i32.store8 (i32.const 200) (i32.const 10))
    (if (i32.lt_s (local.get $n) (i32.const 0)) (then (local.set $neg (i32.const 1)) (local.set $n (i32.sub (i32.const 0) (local.get $n)))))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    (if (local.get $neg) (then (local.set $p (i32.sub (local.get $p) (i32.const 1))) (i32.store8 (local.get $p) (i32.const 45))))
    (call $print (local.get $p) (i32.sub (i32.const 201) (local.get $p))))
  (func (export "_start") ${body}))`;
}

describe("llm_sandbox.call (raw WebAssembly host functions)", () => {
  it("examples/tools.wat calls search and prints the reply", async () => {
    calls.length = 0;
    const raw = await run(example("tools"));
    expect(raw.stderr).toBe("");
    expect(raw.stdout).toBe(`{"ok":true,"value":[{"title":"Fuel in WebAssembly","query":"fuel"}]}\n`);
    expect(calls).toEqual([{ tool: "search", args: '{"query":"fuel"}' }]);
  });

  it("the README shows examples/tools.wat as it is tested", () => {
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toContain(example("tools").trim());
  });

  it("returns a reply too long for the buffer by length only, and llm_sandbox.reply copies it later", async () => {
    const raw = await run(
      module(
        `(call $num (call $call (i32.const 300) (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 8)))
    (call $num (i32.load8_u (i32.const 1000)))
    (call $num (call $reply (i32.const 1000) (i32.const 4096)))
    (call $print (i32.const 1000) (i32.const 122))`,
        `(data (i32.const 300) "long")`,
      ),
    );
    expect(raw.stdout).toBe(`122\n0\n122\n{"ok":true,"value":"${"z".repeat(100)}"}`);
  });

  it("answers -1 for ranges outside memory without calling the host, and {} for empty arguments", async () => {
    calls.length = 0;
    const raw = await run(
      module(
        `(call $num (call $call (i32.const 65530) (i32.const 100) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 100)))
    (call $num (call $call (i32.const 300) (i32.const 6) (i32.const -1) (i32.const 2) (i32.const 1000) (i32.const 100)))
    (call $num (call $call (i32.const 300) (i32.const 6) (i32.const 0) (i32.const 0) (i32.const 65000) (i32.const 1000)))
    (call $num (call $reply (i32.const 70000) (i32.const 1)))
    (call $num (call $call (i32.const 300) (i32.const 6) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 100)))`,
        `(data (i32.const 300) "search")`,
      ),
    );
    expect(raw.stdout).toBe(`-1\n-1\n-1\n-1\n${'{"ok":true,"value":[{"title":"Fuel in WebAssembly"}]}'.length}\n`);
    expect(calls).toEqual([{ tool: "search", args: "{}" }]);
  });

  it("refuses a module importing llm_sandbox functions with another signature, or ones that do not exist", async () => {
    const wrong = `(module
  (import "llm_sandbox" "call" (func (param i64 i32 i32 i32 i32 i32) (result i32)))
  (import "llm_sandbox" "spawn" (func))
  (memory 1)
  (func (export "_start")))`;
    const raw = await run(wrong);
    expect(raw.exitCode).toBe(1);
    expect(raw.stderr).toContain("llm_sandbox.call must have type (i32 i32 i32 i32 i32 i32) -> (i32), not (i64 i32 i32 i32 i32 i32) -> (i32)");
    expect(raw.stderr).toContain("llm_sandbox.spawn (function)");
  });
});
