import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage, pruneCache } from "../src/index.js";
import { runCli, type CliRun } from "./fixtures/run-cli.js";

const DAY = 24 * 60 * 60 * 1000;
const root = mkdtempSync(join(tmpdir(), "cache-prune-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Sets the access and modification times of every file and directory under `dir` to `days` ago. */
function ageTree(dir: string, days: number): void {
  const t = new Date(Date.now() - days * DAY);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) ageTree(path, days);
    utimesSync(path, t, t);
  }
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return runCli(args, { env });
}

async function hello(cacheDir: string, cacheMaxAgeDays?: number | false): Promise<void> {
  const host = createSandboxHost({ cacheDir, storage: memoryStorage(), ...(cacheMaxAgeDays !== undefined ? { cacheMaxAgeDays } : {}) });
  try {
    const sandbox = await createSandbox({ runtime: "javascript", host });
    const result = await sandbox.execute('console.log("hi")');
    expect(result.stdout).toBe("hi\n");
  } finally {
    await host.close(); // waits for the background prune
  }
}

describe("cache pruning by a host", () => {
  it("a new process deletes what nobody used for 30 days and keeps what its run read, however old", async () => {
    const cacheDir = join(root, "process");
    const env = { ...process.env, LLM_SANDBOX_CACHE_DIR: cacheDir };
    const program = join(root, "hello.js");
    writeFileSync(program, 'console.log("hi")\n');
    expect((await cli(["run", program], env)).stdout).toBe("hi\n"); // builds the entries; starts the prune clock
    const before = readdirSync(cacheDir).filter((n) => n.startsWith("quickjs"));
    expect(before.length).toBeGreaterThan(0);
    writeFileSync(join(cacheDir, "ruby-stdlib-0000.wasm"), "left by an old version");
    mkdirSync(join(cacheDir, "python-stdlib-old-v1", "lib"), { recursive: true });
    writeFileSync(join(cacheDir, "python-stdlib-old-v1", "lib", "os.py"), "");
    ageTree(cacheDir, 45); // everything, the marker included, looks 45 days old

    expect((await cli(["run", program], env)).stdout).toBe("hi\n");

    const after = readdirSync(cacheDir);
    expect(after).not.toContain("ruby-stdlib-0000.wasm");
    expect(after).not.toContain("python-stdlib-old-v1");
    for (const name of before) expect(after).toContain(name); // read by the run: marked, kept
  });

  it("prunes in the background of a host's first execution; cacheMaxAgeDays: false keeps everything", async () => {
    for (const [name, maxAge, kept] of [["keep", false, true], ["default", undefined, false]] as const) {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "old.wasm"), "x");
      writeFileSync(join(dir, ".last-prune"), "");
      ageTree(dir, 400);
      await hello(dir, maxAge);
      expect(existsSync(join(dir, "old.wasm"))).toBe(kept);
    }
  });

  it("pruneCache validates its options", async () => {
    await expect(pruneCache({ maxAgeDays: -1 })).rejects.toThrow(/maxAgeDays/);
    await expect(pruneCache({ cacheDir: root, bogus: 1 } as never)).rejects.toThrow(/bogus/);
  });
});

describe("llm-wasm-sandbox cache prune", () => {
  it("reports in a dry run, then deletes", async () => {
    const dir = join(root, "cli");
    mkdirSync(dir);
    writeFileSync(join(dir, "a.wasm"), "0123456789");
    writeFileSync(join(dir, "b.wasm"), "01234");
    const t = new Date(Date.now() - 10 * DAY);
    utimesSync(join(dir, "a.wasm"), t, t);

    const dry = await cli(["cache", "prune", "--cache-dir", dir, "--older-than-days", "7", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, removed: [{ name: "a.wasm", bytes: 10, ageDays: 10 }], freedBytes: 10, keptBytes: 5 });
    expect(existsSync(join(dir, "a.wasm"))).toBe(true);

    const real = await cli(["cache", "prune", "--cache-dir", dir, "--older-than-days", "7"]);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/freed 10 B \(1 entries\); 5 B kept/);
    expect(existsSync(join(dir, "a.wasm"))).toBe(false);
  });

  it("refuses a bad age with a usage error", async () => {
    const run = await cli(["cache", "prune", "--older-than-days", "soon"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/non-negative number of days/);
  });
});
