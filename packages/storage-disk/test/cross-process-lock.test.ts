import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StorageConflictError } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";

let tmp: string;
let child: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-xlock-"));
  child = join(tmp, "lock-child.mjs");
  await build({
    ...NODE_BUNDLE_OPTIONS,
    entryPoints: [fileURLToPath(new URL("./fixtures/lock-child.ts", import.meta.url))],
    outfile: child,
  });
});

const children: ChildProcess[] = [];
afterAll(async () => {
  // Bounded: no child outlives the suite.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await rm(tmp, { recursive: true, force: true });
});

function start(args: string[]): { proc: ChildProcess; output: Promise<string>; printed: (text: string) => Promise<void> } {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  children.push(proc);
  let out = "";
  const waiters: Array<() => void> = [];
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const output = new Promise<string>((resolve) => proc.on("exit", () => resolve(out)));
  const printed = (text: string): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (out.includes(text)) resolve();
        else waiters.push(check);
      };
      check();
    });
  return { proc, output, printed };
}

describe("disk lock() across processes", () => {
  it("a lock held by another process blocks us; once that process is SIGKILLed its lock is taken over", async () => {
    const root = join(tmp, "held");
    const holder = start([root, "sess", "hold"]);
    await holder.printed("locked");
    const s = diskStorage({ workspaceRoot: root });
    await expect(s.lock("sess", { timeoutMs: 150 })).rejects.toSatisfy(
      (e: unknown) => StorageConflictError.isInstance(e) && e.message.includes(`pid ${holder.proc.pid}`),
    );
    holder.proc.kill("SIGKILL");
    await holder.output;
    const release = await s.lock("sess", { timeoutMs: 5000 });
    await release();
  });

  it("two processes appending under lock() lose no line", async () => {
    const root = join(tmp, "append");
    const s = diskStorage({ workspaceRoot: root });
    await s.createSession(testSessionMetadata("sess"));
    await s.writeFile("sess", "log.txt", new Uint8Array(0));
    const a = start([root, "sess", "append", "15", "A"]);
    const b = start([root, "sess", "append", "15", "B"]);
    expect(await a.output).toContain("done");
    expect(await b.output).toContain("done");
    const lines = new TextDecoder().decode(await s.readFile("sess", "log.txt")).trim().split("\n");
    expect(lines).toHaveLength(30);
    expect(lines.filter((l) => l.startsWith("A "))).toHaveLength(15);
  });
});
