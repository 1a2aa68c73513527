/**
 * The channel a run asks the main thread through (lazy reads of workspace files, host
 * functions): a warm session's worker keeps one channel for all its executions, and a
 * pooled run with an empty workspace and no host functions goes without one. Either way
 * each execution gets its own answers, exactly as over a channel of its own.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, memoryStorage } from "../src/index.js";

const host = createSandboxHost({ storage: memoryStorage() });
afterAll(() => host.close());

describe("a warm session's channel", () => {
  it("serves each execution's reads and calls with that execution's answers (attack: a reply meant for one execution reaches the next)", async () => {
    const seen: string[] = [];
    const tools = { echo: defineTool({ description: "Echoes.", input: z.object({ text: z.string() }), handler: ({ text }) => (seen.push(text), { text: `${text}!` }) }) };
    const writer = await createSandbox({ runtime: "javascript", host });
    await writer.execute('writeText("/app/a.txt", "A"); writeText("/app/b.txt", "B")');
    const sb = await createSandbox({ runtime: "javascript", host, sessionId: writer.sessionId, keepAlive: true, tools });
    const runs = [];
    for (const [file, text] of [["a.txt", "one"], ["b.txt", "two"], ["a.txt", "three"]] as const) {
      runs.push(await sb.execute(`console.log(readText("/app/${file}"), tools.sync.echo({ text: "${text}" }).text)`));
    }
    expect(runs.map((r) => [r.success, r.warm, r.stdout])).toEqual([
      [true, false, "A one!\n"],
      [true, true, "B two!\n"],
      [true, true, "A three!\n"],
    ]);
    expect(seen).toEqual(["one", "two", "three"]);
    await sb.close();
  }, 60_000);
});

describe("a pooled run without a channel", () => {
  const toolsWat = readFileSync(fileURLToPath(new URL("../../../runtimes/wasm/examples/tools.wat", import.meta.url)), "utf8");

  it("answers a host-function call without tools as the main thread does (empty workspace: no channel; files: a channel)", async () => {
    const sb = await createSandbox({ runtime: "wasm", host });
    const channelless = await sb.execute(toolsWat);
    await sb.storage.writeFile(sb.sessionId, "f.txt", new TextEncoder().encode("x"));
    const served = await sb.execute(toolsWat);
    expect(channelless.stdout).toContain('"NoHostFunctions"');
    expect([channelless.success, channelless.stdout, channelless.toolCalls]).toEqual([served.success, served.stdout, served.toolCalls]);
  }, 60_000);

  it("commits what a run with an empty workspace writes, and the next run reads it back over its channel", async () => {
    const sb = await createSandbox({ runtime: "lua", host });
    const first = await sb.execute('local f = io.open("/app/n.txt", "w") f:write("41") f:close() print(io.open("/app/n.txt"):read("a"))');
    const second = await sb.execute('print(tonumber(io.open("/app/n.txt"):read("a")) + 1)');
    expect([first.stdout, first.filesCreated, second.stdout]).toEqual(["41\n", ["n.txt"], "42\n"]);
  }, 60_000);
});
