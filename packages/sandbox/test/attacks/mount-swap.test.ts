/**
 * `policy.mountDataDir` against a process that keeps swapping the files of the mounted
 * directory (issue 22.2): each file turns in turn into a symlink to a mode-600 secret, a
 * FIFO (a blocking open of it hung the worker thread for good) and a symlink to
 * /dev/zero. Whatever the guest reads, it never gets the secret, never hangs, and sees a
 * plain I/O error for a file that changed under it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage } from "../../src/index.js";

const FILES = 100;
const names = Array.from({ length: FILES }, (_, i) => `f${String(i).padStart(3, "0")}.txt`);

/** Reads every file (after burning a little fuel, so swaps land between listing and reading). */
const READERS: Record<string, string> = {
  python: `
import os
os.listdir("/data/mounted")
sum(range(2_000_000))
for n in ${JSON.stringify(names)}:
    try:
        print("READ", open("/data/mounted/" + n).read())
    except OSError as e:
        print("ERR", "EIO" if e.errno == 29 else e.errno)
print("DONE")`,
  javascript: `listFiles("/data/mounted");
let s = 0; for (let i = 0; i < 2000000; i++) s += i;
for (const n of ${JSON.stringify(names)}) { try { console.log("READ", readText("/data/mounted/" + n)); } catch (e) { console.log("ERR", e.code); } }
console.log("DONE");`,
  ruby: `Dir.children("/data/mounted")
s = 0; 300_000.times { |i| s += i }
${JSON.stringify(names)}.each { |n| begin; puts "READ #{File.read("/data/mounted/" + n)}"; rescue SystemCallError => e; puts "ERR #{e.is_a?(Errno::EIO) ? "EIO" : e.class}"; end }
puts "DONE"`,
  // Lua cannot list a directory: opening one file makes the host list it.
  lua: `local first = io.open("/data/mounted/${names[0]}") if first then first:close() end
local s = 0 for i = 1, 2000000 do s = s + i end
for _, n in ipairs({${names.map((n) => JSON.stringify(n)).join(",")}}) do
  local f, err = io.open("/data/mounted/" .. n)
  if f then local t, rerr = f:read("a") err = rerr if t then print("READ " .. t) end f:close() end
  if err then print("ERR " .. (tostring(err):find("I/O error") and "EIO" or tostring(err))) end
end
print("DONE")`,
};

let root: string;
let data: string;
let swapper: ChildProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mount-swap-"));
  data = join(root, "data");
  await mkdir(data);
  await writeFile(join(root, "public.txt"), "public");
  await writeFile(join(root, "secret.txt"), "TOP-SECRET", { mode: 0o600 });
  execFileSync("mkfifo", [join(root, "fifo")]);
  for (const n of names) await writeFile(join(data, n), "public");
  const script = `
    const fs = require("node:fs");
    const { join } = require("node:path");
    const root = ${JSON.stringify(root)};
    const names = ${JSON.stringify(names)};
    const swaps = [
      (p) => fs.linkSync(join(root, "public.txt"), p),
      (p) => fs.symlinkSync(join(root, "secret.txt"), p),
      (p) => fs.linkSync(join(root, "fifo"), p),
      (p) => fs.symlinkSync("/dev/zero", p),
    ];
    process.stdout.write("ready\\n");
    for (let i = 0; ; i++) {
      const next = join(root, "next");
      fs.rmSync(next, { force: true });
      // File j is in state (j + sweep) % 4: every state is present at any moment.
      swaps[(Math.floor(i / names.length) + i) % swaps.length](next);
      fs.renameSync(next, join(root, "data", names[i % names.length]));
    }`;
  swapper = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => swapper.stdout?.once("data", () => resolve()));
});
afterAll(async () => {
  swapper.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

describe.each(Object.keys(READERS))("mountDataDir swapped under a %s guest", (runtime) => {
  it("never yields the secret, never hangs on a FIFO or /dev/zero: a swapped file is an I/O error", async () => {
    const sb = await createSandbox({ runtime, storage: memoryStorage(), policy: { mountDataDir: data, timeoutMs: 30_000 } });
    // Runs again (a fresh listing each time) until a swap landed between listing and read.
    let sawEio = false;
    for (let attempt = 0; attempt < 5 && !sawEio; attempt++) {
      const r = await sb.execute(READERS[runtime]!);
      if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr);
      expect(r.trapReason, r.trapMessage ?? "").toBeNull();
      expect(r.stdout).toContain("DONE");
      expect(r.stdout).not.toContain("TOP-SECRET");
      const lines = r.stdout.split("\n").filter((l) => l.startsWith("READ") || l.startsWith("ERR"));
      expect(lines.every((l) => l === "READ public" || l.startsWith("ERR"))).toBe(true);
      sawEio = lines.includes("ERR EIO");
    }
    // A file listed as regular was something else by the time it was read: EIO.
    expect(sawEio).toBe(true);
  }, 180_000);
});
