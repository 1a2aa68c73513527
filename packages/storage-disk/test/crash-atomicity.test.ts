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
import { planCommit } from "@llm-wasm-sandbox/core";
import { asyncIo, quickIo } from "../src/fs-io.js";
import { ioFor } from "../src/commit-log.js";
import { diskStorage } from "../src/index.js";
import { slotPendingSync } from "../src/intent-slot.js";
import { bigJournal } from "./fixtures/big-journal.js";

/** What one crash test commits: a large commit (every call through the thread pool) or a small one (quick: synchronous lstats, see fs-io.ts). */
interface Shape {
  readonly files: number;
  readonly bytes: number;
}

const LARGE: Shape = { files: 200, bytes: 100 * 1024 };
const SMALL: Shape = { files: 3, bytes: 1024 };
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
async function prepare(name: string, shape: Shape): Promise<string> {
  const root = join(tmp, name);
  const s = diskStorage({ workspaceRoot: root });
  await s.createSession(testSessionMetadata("crash"));
  await commitJournal(s, "crash", bigJournal("old", shape.files, shape.bytes));
  return root;
}

interface Outcome {
  readonly generation: "old" | "new";
  readonly exitSignal: NodeJS.Signals | null;
}

/** Opens the workspace after the crash and checks that it holds exactly one generation, whole. */
async function assertOneGeneration(root: string, shape: Shape): Promise<"old" | "new"> {
  const s = diskStorage({ workspaceRoot: root });
  const entries = await s.listFiles("crash");
  const generation = new TextDecoder().decode(await s.readFile("crash", "generation.txt"));
  expect(["old", "new"]).toContain(generation);
  const fill = generation === "old" ? 0x4f : 0x4e;
  const data = entries.filter((e) => e.path.startsWith("data/") && e.type === "file");
  expect(data).toHaveLength(shape.files);
  for (const e of data) {
    const bytes = await s.readFile("crash", e.path);
    expect(bytes.byteLength, e.path).toBe(shape.bytes);
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

function runChild(root: string, shape: Shape, killAt: string, killWhenStaging: boolean, fsync = true): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const args = [child, root, "crash", String(shape.files), String(shape.bytes), killAt, String(fsync)];
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
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

describe.each([
  { name: "200 files × 100 KB, every call through the thread pool", shape: LARGE, io: asyncIo },
  { name: "3 files × 1 KB, a quick commit", shape: SMALL, io: quickIo },
])("disk commit crash atomicity ($name, SIGKILL mid-commit)", ({ shape, io }) => {
  it("commits with the I/O this case is about", () => {
    expect(ioFor(planCommit([], bigJournal("new", shape.files, shape.bytes)))).toBe(io);
  });

  // A small commit ends within the poll's reach of the staging area: only the large one is killed reliably from outside.
  it.runIf(shape === LARGE)("a process killed from outside once staging starts leaves old or new, never a mix", async () => {
    const root = await prepare(`outside-kill-${shape.files}`, shape);
    const outcome = await runChild(root, shape, "none", true);
    expect(outcome.exitSignal).toBe("SIGKILL");
    const generation = await assertOneGeneration(root, shape);
    // Killed before it printed "committed": the commit point may or may not have been passed.
    expect(["old", "new"]).toContain(generation);
  });

  it("a crash after staging but before the intent record rolls back to the old state", async () => {
    const root = await prepare(`before-intent-${shape.files}`, shape);
    const outcome = await runChild(root, shape, "staged", false);
    expect(outcome.exitSignal).toBe("SIGKILL");
    expect(existsSync(join(root, "crash", ".commit", "s0"))).toBe(true);
    // A large commit renames its intent into place; a small one has not written its record to the slot yet.
    expect(existsSync(join(root, "crash", ".commit", "intent.json"))).toBe(false);
    expect(slotPendingSync(join(root, "crash"))).toBe(false);
    expect(await assertOneGeneration(root, shape)).toBe("old");
  });

  it("a crash half-way through applying the intent rolls forward to the new state", async () => {
    const root = await prepare(`mid-apply-${shape.files}`, shape);
    const outcome = await runChild(root, shape, `op:${Math.floor(shape.files / 2)}`, false);
    expect(outcome.exitSignal).toBe("SIGKILL");
    // The dead child still "holds" the commit lock; recovery takes it over (its pid is gone).
    expect(existsSync(diskStorage({ workspaceRoot: root }).lockPath("crash", "commit"))).toBe(true);
    // A large commit's intent is in `.commit/`, a small one's pending in the session's slot.
    if (shape === LARGE) expect(existsSync(join(root, "crash", ".commit", "intent.json"))).toBe(true);
    else expect(slotPendingSync(join(root, "crash"))).toBe(true);
    expect(await assertOneGeneration(root, shape)).toBe("new");
  });

  it("without fsync (fsync: false) a process killed half-way through applying still rolls forward", async () => {
    const root = await prepare(`no-fsync-${shape.files}`, shape);
    const outcome = await runChild(root, shape, `op:${Math.floor(shape.files / 4)}`, false, false);
    expect(outcome.exitSignal).toBe("SIGKILL");
    expect(await assertOneGeneration(root, shape)).toBe("new");
  });
});
