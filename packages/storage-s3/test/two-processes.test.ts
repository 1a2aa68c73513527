import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type S3Target, TARGETS } from "./s3-targets.js";

// Inside the package's node_modules so the bundle's bare import of the SDK resolves.
const outDir = fileURLToPath(new URL(`../node_modules/.cache/llm-sandbox-test-${process.pid}/`, import.meta.url));
let childScript: string;

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  childScript = `${outDir}s3-child.mjs`;
  await build({
    ...NODE_BUNDLE_OPTIONS,
    entryPoints: [fileURLToPath(new URL("./fixtures/s3-child.ts", import.meta.url))],
    outfile: childScript,
    external: ["@aws-sdk/*"],
  });
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** A child process serving storage commands over stdin/stdout. */
class Host {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #pending: Array<(line: string) => void> = [];

  constructor(server: S3Target, prefix: string) {
    const config = JSON.stringify({ bucket: server.bucket, prefix, clientConfig: server.clientConfig() });
    this.proc = spawn(process.execPath, ["--no-warnings", childScript, config], { stdio: "pipe" });
    this.#lines = createInterface({ input: this.proc.stdout });
    this.#lines.on("line", (line) => this.#pending.shift()?.(line));
  }

  send(cmd: Record<string, string>): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.#pending.push((line) => resolve(JSON.parse(line) as Record<string, unknown>));
      this.proc.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.proc.stdin.end();
    // Bounded: a child that does not exit on its own is killed.
    const killer = setTimeout(() => this.proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  }
}

describe.each(TARGETS)("s3 storage shared by two processes (%s)", (_name, start) => {
  let server: S3Target;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.close();
  });

  it("two hosts serve one session alternately and see each other's files", async () => {
    const a = new Host(server, "two-proc");
    const b = new Host(server, "two-proc");
    try {
      expect(await a.send({ op: "write", session: "shared", path: "a.txt", text: "from A" })).toMatchObject({ ok: true });
      const readByB = await b.send({ op: "read", session: "shared", path: "a.txt" });
      expect(readByB).toMatchObject({ text: "from A" });
      expect(readByB.pid).not.toBe(a.proc.pid);
      expect(await b.send({ op: "write", session: "shared", path: "b.txt", text: "from B" })).toMatchObject({ ok: true });
      expect(await a.send({ op: "read", session: "shared", path: "b.txt" })).toMatchObject({ text: "from B" });
      expect(await a.send({ op: "write", session: "shared", path: "a.txt", text: "A again" })).toMatchObject({ ok: true });
      expect(await b.send({ op: "read", session: "shared", path: "a.txt" })).toMatchObject({ text: "A again" });
      expect(await b.send({ op: "list", session: "shared" })).toMatchObject({ files: ["a.txt", "b.txt"] });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
