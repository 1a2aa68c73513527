/**
 * Attacks on what the host reads on a user's or a client's behalf (issue 22.1, 22.2):
 * program files, --config, --external / --external-files. Each is tried the way an
 * attacker with ordinary means would: /dev/zero, a FIFO, a directory, a huge file, and
 * a process swapping a checked file for a symlink to a secret.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, HostFileError, loadExternalFiles, MAX_CODE_BYTES, memoryStorage, readPolicyFile } from "../../src/index.js";

/** The built CLI; `pnpm test` builds every package before vitest runs. */
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const MiB = 1024 * 1024;

interface CliRun {
  code: number;
  stderr: string;
  /** Peak resident set size of the CLI process, bytes. */
  maxRssBytes: number;
}

/** Runs the CLI in a child that records its own peak RSS when it exits. */
function cli(args: string[], cwd: string): Promise<CliRun> {
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}.txt`);
  const script = [
    'import { writeFileSync } from "node:fs";',
    `process.on("exit", () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));`,
    `process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}];`,
    `await import(${JSON.stringify(pathToFileURL(CLI).href)});`,
  ].join("\n");
  return new Promise((resolve) => {
    // A hang (the FIFO attack) ends at this timeout and fails the exit-code assertion.
    execFile(process.execPath, ["--input-type=module", "-e", script], { cwd, timeout: 60_000 }, (err, _stdout, stderr) => {
      void readFile(rssFile, "utf8")
        .then(Number, () => Number.NaN)
        .then((maxRssBytes) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr, maxRssBytes }));
    });
  });
}

/** One line, no stack trace. */
function expectOneLine(stderr: string, ...parts: string[]): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  for (const part of parts) expect(stderr).toContain(part);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "host-inputs-"));
  await writeFile(join(dir, "hello.py"), 'print("hi")\n');
  execFileSync("mkfifo", [join(dir, "fifo.py")]);
  execFileSync("mkfifo", [join(dir, "fifo.toml")]);
  await mkdir(join(dir, "folder.py"));
  // Sparse: one byte over the code cap, costing no disk.
  await writeFile(join(dir, "huge.py"), "");
  await truncate(join(dir, "huge.py"), MAX_CODE_BYTES + 1);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CLI input files", () => {
  it("refuses `run /dev/zero` with one line, without reading it (it grew to 15.9 GB before)", async () => {
    const r = await cli(["run", "--runtime", "python", "/dev/zero"], dir);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, "program file", "/dev/zero", "character device");
    // Bounded: a whole CLI process stays far below even the 10 MB code cap times ten.
    expect(r.maxRssBytes).toBeLessThan(300 * MiB);
  });

  it("refuses a FIFO program file instead of waiting for a writer forever", async () => {
    const r = await cli(["run", "fifo.py"], dir);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, "fifo.py", "FIFO");
  });

  it("refuses a directory with one clear line, not a stack trace", async () => {
    const r = await cli(["run", "folder.py"], dir);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, "folder.py", "a directory");
  });

  it("refuses a program file over the code cap from its size, before reading it", async () => {
    const r = await cli(["run", "huge.py"], dir);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, "huge.py", `over the ${MAX_CODE_BYTES}-byte limit`);
    expect(r.maxRssBytes).toBeLessThan(300 * MiB);
  });

  it("refuses --config /dev/zero and a FIFO --config", async () => {
    const zero = await cli(["run", "--config", "/dev/zero", "hello.py"], dir);
    expect(zero.code).toBe(2);
    expectOneLine(zero.stderr, "policy file", "character device");
    const fifo = await cli(["run", "--config", "fifo.toml", "hello.py"], dir);
    expect(fifo.code).toBe(2);
    expectOneLine(fifo.stderr, "policy file", "FIFO");
  });

  it("refuses --external pointing at a FIFO or /dev/zero", async () => {
    const fifo = await cli(["run", "--external", "fifo.toml", "--", "hello.py"], dir);
    expect(fifo.code).toBe(2);
    expectOneLine(fifo.stderr, "external file", "FIFO");
    const zero = await cli(["run", "--external", "/dev/zero", "--", "hello.py"], dir);
    expect(zero.code).toBe(2);
    expectOneLine(zero.stderr, "external file", "character device");
  });
});

describe("readPolicyFile (the MCP server's --config)", () => {
  it("refuses a FIFO and /dev/zero with a HostFileError", async () => {
    for (const path of [join(dir, "fifo.toml"), "/dev/zero"]) {
      const e = await readPolicyFile(path).catch((err: unknown) => err);
      expect(HostFileError.isInstance(e) && e.problem).toBe("not-regular");
    }
  });
});

/**
 * A process that keeps replacing `target` (atomically, by rename) with, in turn: the
 * public file, a symlink to a mode-600 secret, a FIFO, a symlink to /dev/zero, and a
 * file over the size cap.
 */
function startSwapper(root: string): ChildProcess {
  const script = `
    const fs = require("node:fs");
    const p = (n) => require("node:path").join(${JSON.stringify(root)}, n);
    const swaps = [
      () => fs.linkSync(p("public.txt"), p("next")),
      () => fs.symlinkSync(p("secret.txt"), p("next")),
      () => fs.linkSync(p("fifo"), p("next")),
      () => fs.symlinkSync("/dev/zero", p("next")),
      () => fs.linkSync(p("big.bin"), p("next")),
    ];
    process.stdout.write("ready\\n");
    for (let i = 0; ; i++) {
      fs.rmSync(p("next"), { force: true });
      swaps[i % swaps.length]();
      fs.renameSync(p("next"), p("target"));
    }`;
  return spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
}

describe("loadExternalFiles (CLI --external, MCP --external-files) against a swapping process", () => {
  let root: string;
  let swapper: ChildProcess | null = null;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "external-swap-"));
    await writeFile(join(root, "public.txt"), "public");
    await writeFile(join(root, "secret.txt"), "TOP-SECRET", { mode: 0o600 });
    await writeFile(join(root, "big.bin"), "");
    await truncate(join(root, "big.bin"), 2 * MiB);
    execFileSync("mkfifo", [join(root, "fifo")]);
    await writeFile(join(root, "target"), "public");
  });
  afterAll(async () => {
    swapper?.kill("SIGKILL");
    await rm(root, { recursive: true, force: true });
  });

  it("never returns the secret, never hangs on the FIFO or /dev/zero, never passes the size cap", async () => {
    swapper = startSwapper(root);
    await new Promise<void>((resolve) => swapper?.stdout?.once("data", () => resolve()));
    const seen = { public: 0, symlink: 0, notRegular: 0, tooLarge: 0, notFound: 0 };
    const unexpected: string[] = [];
    // Until every kind of swap has been caught a few times (bounded: not a time race).
    for (let i = 0; i < 200_000 && !(seen.public >= 5 && seen.symlink >= 5 && seen.notRegular >= 5 && seen.tooLarge >= 5); i++) {
      try {
        const mount = await loadExternalFiles([join(root, "target")], { maxFileBytes: MiB });
        const text = new TextDecoder().decode(mount.files?.target);
        if (text === "public") seen.public++;
        else unexpected.push(text.slice(0, 40));
      } catch (e) {
        if (!HostFileError.isInstance(e)) throw e;
        if (e.problem === "symlink") seen.symlink++;
        else if (e.problem === "not-regular") seen.notRegular++;
        else if (e.problem === "too-large") seen.tooLarge++;
        else if (e.problem === "not-found") seen.notFound++;
        else unexpected.push(e.message);
      }
    }
    swapper.kill("SIGKILL");
    expect(unexpected).toEqual([]);
    expect(seen.public).toBeGreaterThanOrEqual(5);
    expect(seen.symlink).toBeGreaterThanOrEqual(5);
    expect(seen.notRegular).toBeGreaterThanOrEqual(5);
    expect(seen.tooLarge).toBeGreaterThanOrEqual(5);
  });
});

describe("external files held once", () => {
  it("concurrent runs share a 64 MiB external file instead of each getting a copy", async () => {
    const big = join(dir, "big.bin");
    await writeFile(big, new Uint8Array(64 * MiB).fill(120));
    const mount = await loadExternalFiles([big], { maxFileBytes: 64 * MiB });
    const sb = await createSandbox({ runtime: "lua", storage: memoryStorage(), mounts: [mount] });
    await sb.execute('print(#io.open("/external/big.bin"):read(10))');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => sb.execute('local f = io.open("/external/big.bin") print(#f:read(16)) local s = 0 for i = 1, 3000000 do s = s + i end')),
    ).finally(() => clearInterval(sampler));
    expect(runs.map((r) => r.stdout)).toEqual(["16\n", "16\n", "16\n", "16\n"]);
    // Copied per run this was ~4 x 64 MiB; shared, the runs add next to nothing.
    expect(peak - before).toBeLessThan(128 * MiB);
  });
});
