import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli, type CliRun } from "./fixtures/run-cli.js";

/** The built CLI; `pnpm test` builds every package before vitest runs. */

function cli(args: string[], cwd: string, input?: string): Promise<CliRun> {
  return runCli(args, { cwd, input: input ?? "" });
}

/** One line on stderr, no Node stack frame. */
function expectOneClearLine(stderr: string, text: string): void {
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).toContain(text);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe("llm-wasm-sandbox run: inline code, stdin and program arguments", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-input-"));
    await writeFile(join(dir, "argv.py"), "import sys\nprint(sys.argv[1:])\n");
    await writeFile(join(dir, "sandbox.toml"), "fuel_budget = 1000000000\n");
    await writeFile(join(dir, "ext.py"), "import os, sys\nprint(sorted((n, open('/external/' + n).read()) for n in os.listdir('/external')), sys.argv[1:])\n");
    await writeFile(join(dir, "a.txt"), "A");
    await writeFile(join(dir, "b.txt"), "B");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs inline code with -c (python -c) and -e (node -e, ruby -e), positionals as program arguments", async () => {
    const py = await cli(["run", "--no-summary", "-r", "python", "-c", "import sys; print(sys.argv[1:])", "a", "--b"], dir);
    expect(py).toMatchObject({ code: 0, stdout: "['a', '--b']\n" });
    const js = await cli(["run", "--no-summary", "-r", "javascript", "-e", "console.log(6 * 7)"], dir);
    expect(js).toMatchObject({ code: 0, stdout: "42\n" });
    const rb = await cli(["run", "--no-summary", "-r", "ruby", "--eval", "puts [1, 2].sum"], dir);
    expect(rb).toMatchObject({ code: 0, stdout: "3\n" });
  });

  it("reads the program from stdin with -", async () => {
    const r = await cli(["run", "--no-summary", "-r", "lua", "-", "x"], dir, "print(#arg, 40 + 2)\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/42/);
  });

  it("passes everything after the file to the program, flags included, without --", async () => {
    const r = await cli(["run", "--no-summary", "argv.py", "in.csv", "--json", "-x", "--fuel", "1"], dir);
    expect(r).toMatchObject({ code: 0, stdout: "['in.csv', '--json', '-x', '--fuel', '1']\n" });
  });

  it("takes one file per --external (repeatable), so the program file after it is not swallowed", async () => {
    const one = await cli(["run", "--no-summary", "--external", "a.txt", "ext.py"], dir);
    expect(one).toMatchObject({ code: 0, stdout: "[('a.txt', 'A')] []\n" });
    const two = await cli(["run", "--no-summary", "--external", "a.txt", "--external=b.txt", "ext.py", "b.txt"], dir);
    expect(two).toMatchObject({ code: 0, stdout: "[('a.txt', 'A'), ('b.txt', 'B')] ['b.txt']\n" });
  });

  it("prints one clear line for a missing file, not a stack trace", async () => {
    const r = await cli(["run", "missing.py"], dir);
    expect(r.code).toBe(2);
    expectOneClearLine(r.stderr, 'program file "missing.py" does not exist');
  });

  it("prints one clear line for an unknown flag, with a suggestion", async () => {
    const r = await cli(["run", "--fuell", "5", "argv.py"], dir);
    expect(r.code).toBe(2);
    expectOneClearLine(r.stderr, "unknown option '--fuell'");
    expect(r.stderr).toContain("--fuel");
    const sub = await cli(["sessions", "list", "--nope"], dir);
    expect(sub.code).toBe(2);
    expectOneClearLine(sub.stderr, "llm-wasm-sandbox sessions list --help");
  });

  it("says what is missing for inline code or stdin without a runtime, and for nothing to run", async () => {
    const inline = await cli(["run", "-c", "print(1)"], dir);
    expect(inline.code).toBe(2);
    expectOneClearLine(inline.stderr, "--runtime");
    const stdin = await cli(["run", "-"], dir, "print(1)");
    expectOneClearLine(stdin.stderr, "stdin needs a runtime");
    const nothing = await cli(["run"], dir);
    expectOneClearLine(nothing.stderr, "nothing to run");
  });

  it("points an old `-c sandbox.toml` at --config", async () => {
    const r = await cli(["run", "-r", "python", "-c", "sandbox.toml"], dir);
    expect(r.code).toBe(2);
    expectOneClearLine(r.stderr, "--config sandbox.toml");
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe("llm-wasm-sandbox spinner on a pseudo-terminal", () => {
  // A pty that reports 0 columns made ora divide by zero and write escape codes forever
  // (874 MB in 10 minutes, surviving SIGTERM). A cold cache makes the runtime slow enough
  // to show the spinner; Lua is the cheapest runtime to prepare.
  it.skipIf(!hasScript)("writes no runaway output when the terminal reports 0 columns", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cli-pty-"));
    try {
      const command = `stty cols 0 rows 0; LLM_SANDBOX_CACHE_DIR=${join(dir, "cache")} "${process.execPath}" "${CLI}" run -r lua -c "print(6 * 7)"`;
      const r = spawnSync("script", ["-qfec", command, "/dev/null"], { encoding: "buffer", timeout: 90_000, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      expect(r.stdout.toString()).toContain("42");
      expect(r.stdout.byteLength).toBeLessThan(4096);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
