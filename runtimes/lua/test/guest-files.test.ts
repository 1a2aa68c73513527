/**
 * The guest code (guest/*.lua) is checked in its own language: compiled by the sandbox's
 * own Lua (text mode, as the driver loads it) and, where Lua 5.4 is installed, by `luac -p`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { luaHarness } from "./helpers.js";

const guestDir = fileURLToPath(new URL("../guest/", import.meta.url));
const names = readdirSync(guestDir).filter((n) => n.endsWith(".lua"));
const luac = findTool(["luac5.4", "luac"]);

let h: RuntimeHarness;
beforeAll(() => {
  h = luaHarness([{ guestPath: "/data/guest", files: Object.fromEntries(names.map((n) => [n, readFileSync(guestDir + n)])) }]);
});
afterAll(async () => {
  await h?.close();
});

describe("Lua guest files", () => {
  it("are the bootstrap, the state library and the host-function library", () => {
    expect(names.sort()).toEqual(["bootstrap.lua", "state.lua", "tools.lua"]);
  });

  it("compile in the sandbox's Lua as text chunks", async () => {
    const code = names.map((n) => `assert(loadfile("/data/guest/${n}", "t")) print("ok ${n}")`).join("\n");
    const { raw } = await h.run(code);
    expect(raw.stderr).toBe("");
    expect(raw.stdout).toBe(names.map((n) => `ok ${n}\n`).join(""));
  });

  it.skipIf(luac === null)("pass luac -p", () => {
    // One file per call: Debian's luac 5.4.4 crashes when given several with -p.
    for (const n of names) execFileSync(luac!, ["-p", guestDir + n], { stdio: "pipe" });
  });
});

function findTool(candidates: readonly string[]): string | null {
  for (const c of candidates) {
    try {
      execFileSync(c, ["-v"], { stdio: "ignore" });
      return c;
    } catch {
      // not installed under this name
    }
  }
  return null;
}
