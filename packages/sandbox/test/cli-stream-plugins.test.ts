import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli, type CliRun } from "./fixtures/run-cli.js";

/** The built CLI; `pnpm test` builds every package before vitest runs. */
const FAKE_DRIVER = new URL("./fixtures/fake-driver.mjs", import.meta.url).href;

function cli(args: string[], cwd: string): Promise<CliRun> {
  return runCli(args, { cwd });
}

/** Runs the CLI and records its output in the order it arrived, chunk by chunk. */
function cliChunks(args: string[], cwd: string): Promise<{ code: number; chunks: Array<{ stream: "stdout" | "stderr"; text: string }> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Array<{ stream: "stdout" | "stderr"; text: string }> = [];
    child.stdout.on("data", (d: Buffer) => chunks.push({ stream: "stdout", text: d.toString() }));
    child.stderr.on("data", (d: Buffer) => chunks.push({ stream: "stderr", text: d.toString() }));
    child.on("close", (code) => resolve({ code: code ?? -1, chunks }));
  });
}

/**
 * A third-party plugin as a user would write one, outside any package: pure data, the
 * test runtime's driver (one command per line) by file URL, its own file extensions.
 */
const PLUGIN_SOURCE = `export default {
  specificationVersion: "v2",
  type: "fakelang",
  displayName: "Fake language (CLI plugin test)",
  languageVersion: "Fake 1.0",
  fileExtension: ".fake",
  extraExtensions: [".fk"],
  packageName: "fakelang-plugin",
  version: "0.0.1",
  prepare: () => ({ kind: "run", image: null, driver: ${JSON.stringify(FAKE_DRIVER)}, argv: ["fake"] }),
  interpret: () => ({ languageError: null }),
};
`;

describe("llm-wasm-sandbox run: output as it comes, extensions from the plugins", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-stream-"));
    await writeFile(join(dir, "slow.py"), "import time\nfor i in range(3):\n    print(f'line {i}')\n    time.sleep(1)\n");
    await writeFile(join(dir, "fakelang.mjs"), PLUGIN_SOURCE);
    await writeFile(join(dir, "hello.fk"), "print hello from a plugin\n");
    await writeFile(join(dir, "hello.fake"), "print plain extension\n");
    await writeFile(join(dir, "add.wat"), '(module (memory (export "memory") 1) (func (export "_start")))\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints a slow program's first line while it still runs, not all at the end", async () => {
    const r = await cliChunks(["run", "slow.py"], dir);
    expect(r.code).toBe(0);
    const out = r.chunks.filter((c) => c.stream === "stdout");
    expect(out.map((c) => c.text).join("")).toBe("line 0\nline 1\nline 2\n");
    // The program sleeps a second between lines: streamed output arrives line by line, so
    // the whole first line is there before any of the second (printed at the end, one chunk
    // would hold all three). A line may come in two chunks: print writes text, then newline.
    const second = out.findIndex((c) => c.text.includes("line 1"));
    expect(out.slice(0, second).map((c) => c.text).join("")).toBe("line 0\n");
    // ...and before the summary line, which is written once the run is over.
    const summary = r.chunks.findIndex((c) => c.stream === "stderr" && c.text.includes("── python"));
    expect(r.chunks.indexOf(out[0]!)).toBeLessThan(summary);
  });

  it("keeps --json whole: the result once, at the end, nothing streamed before it", async () => {
    const r = await cli(["run", "--json", "-r", "python", "-c", "print('a'); print('b')"], dir);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { stdout: string }).stdout).toBe("a\nb\n");
  });

  it("runs a third-party plugin's file by its extension (and extra extension) with --plugin", async () => {
    const extra = await cli(["run", "--plugin", "./fakelang.mjs", "hello.fk"], dir);
    expect(extra.stderr).toContain("── fakelang · exit 0");
    expect(extra.stdout).toBe("hello from a plugin\n");
    const main = await cli(["run", "--plugin", "./fakelang.mjs", "hello.fake"], dir);
    expect(main.stdout).toBe("plain extension\n");
  });

  it("without the plugin, says which extensions the installed runtimes take", async () => {
    const r = await cli(["run", "hello.fk"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot tell the runtime of "hello\.fk" from its extension \(the installed runtimes take [^)]*\.py[^)]*\.wat/);
  });

  it("maps a built-in runtime's extra extension from its plugin (.wat is wasm)", async () => {
    const r = await cli(["run", "add.wat"], dir);
    expect(r.stderr).toContain("── wasm · exit 0");
  });

  it("lists a --plugin runtime beside the installed ones, and refuses a module that is no plugin in one line", async () => {
    const list = await cli(["runtimes", "--json", "--plugin", "./fakelang.mjs"], dir);
    const rows = JSON.parse(list.stdout) as Array<{ type: string; extraExtensions: string[] }>;
    expect(rows.find((r) => r.type === "fakelang")?.extraExtensions).toEqual([".fk"]);
    expect(rows.some((r) => r.type === "python")).toBe(true);
    const missing = await cli(["run", "--plugin", "./nope.mjs", "hello.fk"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('llm-wasm-sandbox: cannot find the plugin module "./nope.mjs": install it next to llm-wasm-sandbox, or pass its file path (./plugin.js)');
    await writeFile(join(dir, "not-a-plugin.mjs"), "export default { hello: 1 };\n");
    const bad = await cli(["run", "--plugin", "./not-a-plugin.mjs", "hello.fk"], dir);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("exports no runtime plugin");
  });
});
