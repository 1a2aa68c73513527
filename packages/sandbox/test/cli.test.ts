import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "./fixtures/run-cli.js";

/** The built CLI; `pnpm test` builds every package before vitest runs. */

function cli(args: string[], cwd: string): Promise<CliRun> {
  return runCli(args, { cwd });
}

describe("llm-wasm-sandbox CLI", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-test-"));
    await writeFile(join(dir, "hello.py"), 'print("hi from py")\n');
    await writeFile(join(dir, "exit3.py"), "import sys\nprint('bye')\nsys.exit(3)\n");
    await writeFile(join(dir, "loop.js"), "while (true) {}\n");
    await writeFile(join(dir, "calc.mjs"), "const x = await Promise.resolve(6 * 7);\nconsole.log(x);\nexport {};\n");
    await writeFile(join(dir, "count.lua"), "local f = io.open('/app/n.txt')\nlocal n = f and tonumber(f:read('a')) or 0\nif f then f:close() end\nn = n + 1\nlocal o = io.open('/app/n.txt', 'w')\no:write(tostring(n))\no:close()\nprint('n=' .. n)\n");
    await writeFile(join(dir, "notes.txt"), "no runtime for this");
    await writeFile(join(dir, "big.js"), 'for (let i = 0; i < 2000; i++) { console.log(String(i).padStart(400, "o")); console.error(String(i).padStart(100, "e")); }\n');
    await writeFile(join(dir, "bad.toml"), "fuel_budget = 10\nfuel_budjet = 5\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs a file with the runtime its extension implies, printing output and a summary", async () => {
    const r = await cli(["run", "hello.py"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("hi from py\n");
    expect(r.stderr).toMatch(/── python · exit 0 · fuel [\d,]+ · memory [\d.]+ MiB · \d+ ms/);
  });

  it("mirrors the guest's exit code", async () => {
    const r = await cli(["run", "exit3.py"], dir);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("bye\n");
  });

  it("prints the whole result as JSON with --json (.mjs is JavaScript, modules and top-level await work)", async () => {
    const r = await cli(["run", "--json", "calc.mjs"], dir);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { success: boolean; stdout: string; runtime: string; fuelAnalysis: { status: string } };
    expect(result).toMatchObject({ success: true, stdout: "42\n", runtime: "javascript" });
    expect(result.fuelAnalysis.status).toBe("efficient");
  });

  it("applies --fuel and reports the trap with guidance", async () => {
    const r = await cli(["run", "--fuel", "20_000_000", "loop.js"], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("stopped: out_of_fuel");
    expect(r.stderr).toContain("infinite loop");
    // Guidance in the CLI's own terms: a flag, not the library's policy field.
    expect(r.stderr).toContain("run again with --fuel 80000000");
    expect(r.stderr).not.toContain("policy.");
  });

  it("keeps files between runs of one --session", async () => {
    const args = ["run", "--session", "cli-counter", "--workspace", join(dir, "ws"), "count.lua"];
    expect((await cli(args, dir)).stdout).toBe("n=1\n");
    expect((await cli(args, dir)).stdout).toBe("n=2\n");
    const list = await cli(["sessions", "list", "--workspace", join(dir, "ws"), "--json"], dir);
    expect((JSON.parse(list.stdout) as Array<{ sessionId: string }>).map((s) => s.sessionId)).toEqual(["cli-counter"]);
    const info = await cli(["sessions", "info", "cli-counter", "--workspace", join(dir, "ws")], dir);
    expect(info.stdout).toContain("n.txt");
    const prune = await cli(["sessions", "prune", "--older-than-hours", "0", "--dry-run", "--workspace", join(dir, "ws"), "--json"], dir);
    expect(JSON.parse(prune.stdout)).toMatchObject({ dryRun: true, deletedSessions: ["cli-counter"] });
    expect((await cli(args, dir)).stdout).toBe("n=3\n");
  });

  it("delivers all of a large output on both pipes before it exits (it exits without waiting for idle threads)", async () => {
    const r = await cli(["run", "--no-summary", "big.js"], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines).toHaveLength(2001);
    expect(lines[1999]).toBe("1999".padStart(400, "o"));
    expect(r.stderr.split("\n")).toHaveLength(2001);
    expect(r.stderr.endsWith(`${"1999".padStart(100, "e")}\n`)).toBe(true);
  });

  it("refuses a file whose runtime it cannot tell, and names a bad policy key", async () => {
    const unknown = await cli(["run", "notes.txt"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--runtime");
    const bad = await cli(["run", "--config", "bad.toml", "hello.py"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown key "fuelBudjet"');
  });

  it("lists installed runtimes with versions", async () => {
    const r = await cli(["runtimes", "--json"], dir);
    const rows = JSON.parse(r.stdout) as Array<{ type: string; version: string }>;
    expect(rows.map((x) => x.type)).toEqual(expect.arrayContaining(["python", "javascript", "ruby", "lua"]));
    expect(rows.every((x) => /^\d+\.\d+\.\d+/.test(x.version))).toBe(true);
  });

  it("lists an empty vendor directory", async () => {
    const r = await cli(["vendor", "list", "--vendor-dir", join(dir, "vendor"), "--json"], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
