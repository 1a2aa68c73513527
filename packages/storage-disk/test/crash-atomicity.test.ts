import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";
import { bigJournal } from "./fixtures/big-journal.js";

const FILES = 200;
const BYTES = 100 * 1024;
let tmp: string;
let child: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-crash-"));
  child = join(tmp, "commit-child.mjs");
  // The child runs the real adapter source; bundling it avoids needing a build.
  await build({
    ...NODE_BUNDLE_OPTIONS,
    entryPoints: [fileURLToPath(new URL("./fixtures/commit-child.ts", import.meta.url))],
    outfile: child,
  });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A workspace holding the complete "old" generation. */
async function prepare(name: string): Promise<string> {
  const root = join(tmp, name);
  const s = diskStorage({ workspaceRoot: root });
  await s.createSession(testSessionMetadata("crash"));
  await commitJournal(s, "crash", bigJournal("old", FILES, BYTES));
  return root;
}

interface Outcome {
  readonly generation: "old" | "new";
  readonly exitSignal: NodeJS.Signals | null;
}

/** Opens the workspace after the crash and checks that it holds exactly one generation, whole. */
async function assertOneGeneration(root: string): Promise<"old" | "new"> {
  const s = diskStorage({ workspaceRoot: root });
  const entries = await s.listFiles("crash");
  const generation = new TextDecoder().decode(await s.readFile("crash", "generation.txt"));
  expect(["old", "new"]).toContain(generation);
  const fill = generation === "old" ? 0x4f : 0x4e;
  const data = entries.filter((e) => e.path.startsWith("data/") && e.type === "file");
  expect(data).toHaveLength(FILES);
  for (const e of data) {
    const bytes = await s.readFile("crash", e.path);
    expect(bytes.byteLength, e.path).toBe(BYTES);
    // Every byte of every file belongs to the same generation as the marker.
    expect(bytes.every((b) => b === fill), `${e.path} is not entirely ${generation}`).toBe(true);
  }
  const paths = entries.map((e) => e.path);
  if (generation === "old") {
    expect(paths).toContain("old-only/file.txt");
    expect(paths).not.toContain("new-only");
  } else {
    expect(paths.some((p) => p.startsWith("old-only"))).toBe(false);
    expect(paths).toContain("new-only");
  }
  const meta = await s.getSession("crash");
  expect(meta?.fileCount).toBe(entries.filter((e) => e.type === "file").length);
  expect(meta?.sizeBytes).toBe(entries.reduce((n, e) => n + e.size, 0));
  // Recovery leaves no staging area behind.
  expect(await readdir(join(root, "crash"))).not.toContain(".commit");
  return generation as "old" | "new";
}

function runChild(root: string, killAt: string, killWhenStaging: boolean, fsync = true): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, root, "crash", String(FILES), String(BYTES), killAt, String(fsync)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    if (killWhenStaging) {
      // Kill from outside the moment the staging area appears.
      const staging = join(root, "crash", ".commit");
      const poll = (): void => {
        if (existsSync(staging)) proc.kill("SIGKILL");
        else timer = setTimeout(poll, 1);
      };
      poll();
    }
    // Bounded: a child that neither finishes nor gets killed is killed here.
    const guard = setTimeout(() => proc.kill("SIGKILL"), 50_000);
    proc.on("error", reject);
    proc.on("exit", (_code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ generation: out.includes("committed") ? "new" : "old", exitSignal: signal });
    });
  });
}

describe("disk commit crash atomicity (200 files × 100 KB, SIGKILL mid-commit)", () => {
  it("a process killed from outside once staging starts leaves old or new, never a mix", async () => {
    const root = await prepare("outside-kill");
    const outcome = await runChild(root, "none", true);
    expect(outcome.exitSignal).toBe("SIGKILL");
    const generation = await assertOneGeneration(root);
    // Killed before it printed "committed": the commit point may or may not have been passed.
    expect(["old", "new"]).toContain(generation);
  });

  it("a crash after staging but before the intent record rolls back to the old state", async () => {
    const root = await prepare("before-intent");
    const outcome = await runChild(root, "staged", false);
    expect(outcome.exitSignal).toBe("SIGKILL");
    expect(existsSync(join(root, "crash", ".commit", "s0"))).toBe(true);
    expect(existsSync(join(root, "crash", ".commit", "intent.json"))).toBe(false);
    expect(await assertOneGeneration(root)).toBe("old");
  });

  it("a crash half-way through applying the intent rolls forward to the new state", async () => {
    const root = await prepare("mid-apply");
    const outcome = await runChild(root, `op:${FILES / 2}`, false);
    expect(outcome.exitSignal).toBe("SIGKILL");
    // The dead child still "holds" the commit lock; recovery takes it over (its pid is gone).
    expect(existsSync(diskStorage({ workspaceRoot: root }).lockPath("crash", "commit"))).toBe(true);
    expect(existsSync(join(root, "crash", ".commit", "intent.json"))).toBe(true);
    expect(await assertOneGeneration(root)).toBe("new");
  });

  it("without fsync (fsync: false) a process killed half-way through applying still rolls forward", async () => {
    const root = await prepare("no-fsync");
    const outcome = await runChild(root, `op:${FILES / 4}`, false, false);
    expect(outcome.exitSignal).toBe("SIGKILL");
    expect(await assertOneGeneration(root)).toBe("new");
  });
});
