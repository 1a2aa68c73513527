/**
 * A runtime plugin may give each execution its own stdin (`RunSpec.stdin`). A live
 * interpreter keeps reading the stdin it started with, so an execution with stdin of its
 * own runs cold and keeps nothing (it used to continue one when the length matched).
 */
import { luaPlugin } from "@llm-wasm-sandbox/runtime-lua";
import type { RuntimePlugin } from "@llm-wasm-sandbox/core";
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage, RuntimeRegistry } from "../../src/index.js";

/** Lua, with the program's first line (after `--`) as its stdin. */
const luaWithStdin: RuntimePlugin = Object.freeze({
  ...luaPlugin,
  type: "lua-stdin",
  prepare(request, context) {
    const spec = luaPlugin.prepare(request, context);
    if ("then" in spec || spec.kind !== "run") return spec;
    const line = request.code.split("\n", 1)[0]!.replace(/^--\s*/, "");
    return { ...spec, stdin: new TextEncoder().encode(line) };
  },
} satisfies RuntimePlugin);

const registry = new RuntimeRegistry();
registry.register(luaWithStdin);
const host = createSandboxHost();
afterAll(() => host.close());

describe("keepAlive with a plugin that sets stdin per execution", () => {
  it("an execution with its own stdin runs cold, reads that stdin, and leaves no interpreter behind", async () => {
    await using sb = await createSandbox({ runtime: "lua-stdin", registry, storage: memoryStorage(), host, keepAlive: true });
    const first = await sb.execute("-- AAAA\nkept = 1\nprint(io.read('a'))");
    expect([first.stdout, first.warm]).toEqual(["AAAA\n", false]);
    for (const stdin of ["BBBB", "AAAA"]) {
      const next = await sb.execute(`-- ${stdin}\nprint(kept, io.read('a'))`);
      expect([next.stdout, next.warm]).toEqual([`nil\t${stdin}\n`, false]);
      expect(next.notes.join("\n")).toContain("has its own stdin");
    }
    expect(host.liveSessions).toBe(0);
  });

  it("executions without stdin still continue a live interpreter, which reads no stdin", async () => {
    await using sb = await createSandbox({ runtime: "lua-stdin", registry, storage: memoryStorage(), host, keepAlive: true });
    expect((await sb.execute("--\nx = 5")).warm).toBe(false);
    const second = await sb.execute("--\nprint(x, io.read('a'))");
    expect([second.stdout, second.warm]).toEqual(["5\t\n", true]);
  });
});
