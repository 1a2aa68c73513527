/**
 * The path a third party takes: pack the workspace packages a plugin depends on
 * (`pnpm pack`, which rewrites `workspace:` and `catalog:` ranges to versions), install
 * the tarballs into a copy of examples/third-party-runtime with npm (not a workspace
 * member), build its interpreter, and run its own test suite — the testkit conformance
 * suite and `createSandbox({ runtime: "tally" })`.
 *
 * Needs the npm registry for the example's other dependencies (vitest, wabt, and the
 * packages' own); set LLM_SANDBOX_SKIP_PACK_TEST=1 to skip it offline.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const example = join(repo, "examples/third-party-runtime");
/** The packages the example installs, by directory. */
const PACKED = ["packages/core", "packages/host-files", "packages/wasi-host", "packages/testkit", "packages/sandbox", "packages/storage-disk", "packages/storage-memory"];

let work: string | null = null;

describe.skipIf(process.env.LLM_SANDBOX_SKIP_PACK_TEST === "1")("third-party runtime plugin (examples/third-party-runtime)", () => {
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("installs from packed tarballs and passes the conformance suite outside the workspace", async () => {
    work = await mkdtemp(join(tmpdir(), "llm-sandbox-third-party-"));
    const tarballs = join(work, "tarballs");
    const app = join(work, "app");
    await mkdir(tarballs);
    for (const dir of PACKED) {
      await buildIfStale(join(repo, dir));
      await run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(repo, dir), env: childEnv() });
    }
    for (const part of ["package.json", "tsconfig.json", "src", "test", "scripts"]) await cp(join(example, part), join(app, part), { recursive: true });

    const files = (await readdir(tarballs)).filter((f) => f.endsWith(".tgz")).map((f) => join(tarballs, f));
    expect(files).toHaveLength(PACKED.length);
    // The packed manifests carry versions, never workspace: or catalog: ranges.
    const { stdout: manifest } = await run("tar", ["-xzOf", files.find((f) => f.includes("wasi-host"))!, "package/package.json"]);
    expect(manifest).not.toMatch(/"(workspace|catalog):/);

    await run("npm", ["install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", ...files], { cwd: app, env: childEnv(), maxBuffer: 16 << 20 });
    await run("npm", ["run", "build"], { cwd: app, env: childEnv() });
    const report = join(work, "report.json");
    const result = await run("npx", ["vitest", "run", "--reporter=json", `--outputFile=${report}`], { cwd: app, env: childEnv(), maxBuffer: 16 << 20 }).catch((e: { stdout?: string; stderr?: string }) => e);
    const json = JSON.parse(await readFile(report, "utf8")) as { numPassedTests: number; numFailedTests: number; testResults: { assertionResults: { title: string; status: string }[] }[] };
    const failed = json.testResults.flatMap((t) => t.assertionResults.filter((a) => a.status !== "passed").map((a) => a.title));
    expect(failed, "stderr" in result ? String(result.stderr) : "").toEqual([]);
    expect(json.numFailedTests).toBe(0);
    // 13 conformance tests + 2 createSandbox tests.
    expect(json.numPassedTests).toBeGreaterThanOrEqual(15);
    const titles = json.testResults.flatMap((t) => t.assertionResults.map((a) => a.title));
    expect(titles).toContain("stops an infinite loop with out_of_fuel");
    expect(titles).toContain("is selected by its type and keeps files between executions of a session");
  }, 300_000);
});

/** The parent's environment minus vitest's own variables (the child runs its own vitest). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("VITEST") && k !== "NODE_OPTIONS" && k !== "TEST") env[k] = v;
  return env;
}

/** Builds a package with its own `build` script when dist/ is missing or older than src/. */
async function buildIfStale(dir: string): Promise<void> {
  const built = await stat(join(dir, "dist/index.js")).then((s) => s.mtimeMs).catch(() => 0);
  if (built === 0 || (await newestMtime(join(dir, "src"))) > built) {
    await run("pnpm", ["run", "build"], { cwd: dir, env: childEnv(), maxBuffer: 16 << 20 });
  }
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}
