import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli, type CliRun } from "./fixtures/run-cli.js";

/** The built CLI; `pnpm test` builds every package before vitest runs. */
const RECORD_LOADS = fileURLToPath(new URL("./fixtures/record-loads.mjs", import.meta.url));
const BUNDLE = fileURLToPath(new URL("../dist/cli-bundle.js", import.meta.url));
const CORE_IDENTITY_PLUGIN = fileURLToPath(new URL("./fixtures/core-identity-plugin.mjs", import.meta.url));

function cli(args: string[], cwd: string, nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}, bin = CLI): Promise<CliRun> {
  return runCli(args, { cwd, nodeArgs, bin, env: { ...process.env, ...env } });
}

describe("the CLI's bundled start (src/cli/start.ts)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-bundle-"));
    await writeFile(join(dir, "hello.js"), 'console.log("hello")\n');
    await writeFile(join(dir, "hello.fake"), "print same core\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs a built-in runtime without loading core's main entry or zod from node_modules", async () => {
    const loads = join(dir, "loads.txt");
    const r = await cli(["run", "hello.js"], dir, ["--import", RECORD_LOADS], { RECORD_LOADS_TO: loads });
    expect(r.stderr).toContain("javascript · exit 0");
    expect(r.stdout).toBe("hello\n");
    const urls = (await readFile(loads, "utf8")).trim().split("\n");
    expect(urls.some((u) => u.endsWith("/dist/cli-bundle.js"))).toBe(true);
    // The runtime plugin, wasi-host and the bundle all use core's zod-free subpaths instead.
    expect(urls.some((u) => /\/core\/dist\/errors\.js$/.test(u))).toBe(true);
    expect(urls.filter((u) => /\/core\/dist\/index\.js$/.test(u) || /\/node_modules\/zod\//.test(u))).toEqual([]);
  });

  it("holds zod's English messages only, and still says what is wrong with a policy", async () => {
    const bundle = await readFile(BUNDLE, "utf8");
    expect(bundle).toMatch(/zod\/v4\/locales\/en\.js/);
    expect(bundle).not.toMatch(/zod\/v4\/locales\/(de|fr|ja|zh-CN)\.js/);
    const r = await cli(["run", "--timeout", "0", "hello.js"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("[llm-wasm-sandbox] invalid policy: timeoutMs: Too small: expected number to be >0");
  });

  it.each([
    ["--plugin <module>", ["--plugin", CORE_IDENTITY_PLUGIN]],
    ["--plugin=<module>", [`--plugin=${CORE_IDENTITY_PLUGIN}`]],
  ])("gives a module loaded with %s the CLI's own core: the plugin finds itself in the registry it imports", async (_form, flags) => {
    const r = await cli(["run", ...flags, "hello.fake"], dir);
    expect(r.stderr).not.toContain("TwoCores");
    expect(r.stdout).toBe("same core\n");
    expect(r.code).toBe(0);
  });

  it("takes the unbundled build when a package the bundle carries is installed otherwise: another version, the same version patched, or no list", async () => {
    // A copy of dist/ inside the package resolves the same node_modules as dist/ does.
    const copy = await mkdtemp(fileURLToPath(new URL("../.cli-bundle-test-", import.meta.url)));
    try {
      await cp(fileURLToPath(new URL("../dist", import.meta.url)), join(copy, "dist"), { recursive: true });
      const list = join(copy, "dist", "cli-bundle.fingerprints.json");
      const bundled = JSON.parse(await readFile(list, "utf8")) as Record<string, { version: string; files: Record<string, number> }>;
      expect(Object.keys(bundled).sort()).toEqual(["@llm-wasm-sandbox/core", "@llm-wasm-sandbox/storage-disk", "@llm-wasm-sandbox/storage-memory"]);
      expect(bundled["@llm-wasm-sandbox/storage-disk"]!.files["index.js"]).toBeGreaterThan(0);
      const loaded = async (): Promise<string[]> => {
        const loads = join(dir, `loads-${Math.random()}.txt`);
        const r = await cli(["run", "hello.js"], dir, ["--import", RECORD_LOADS], { RECORD_LOADS_TO: loads }, join(copy, "dist", "cli.js"));
        expect(r.stdout).toBe("hello\n");
        return (await readFile(loads, "utf8")).trim().split("\n");
      };
      const tookBundle = (urls: string[]): boolean => urls.some((u) => u.endsWith("/dist/cli-bundle.js"));
      expect(tookBundle(await loaded())).toBe(true);
      const disk = bundled["@llm-wasm-sandbox/storage-disk"]!;
      // As if the bundle had been built from an older storage adapter, or from the same version before a patch.
      for (const other of [{ ...disk, version: "0.0.0-older" }, { ...disk, files: { ...disk.files, "index.js": disk.files["index.js"]! - 1 } }]) {
        await writeFile(list, JSON.stringify({ ...bundled, "@llm-wasm-sandbox/storage-disk": other }));
        const urls = await loaded();
        expect(tookBundle(urls)).toBe(false);
        expect(urls.some((u) => /\/core\/dist\/index\.js$/.test(u))).toBe(true);
      }
      await rm(list);
      expect(tookBundle(await loaded())).toBe(false);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
