/**
 * The test run's global setup rebuilds packages whose sources are newer than their dist
 * (worker threads load dist/, so a stale build would run old driver code silently).
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stalePackages } from "@llm-wasm-sandbox/vitest-config/fresh-builds";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let root: string;
const past = new Date("2026-01-01T00:00:00Z");
const later = new Date("2026-01-02T00:00:00Z");

async function file(path: string, text: string, time: Date): Promise<void> {
  await mkdir(join(root, path, ".."), { recursive: true });
  await writeFile(join(root, path), text);
  await utimes(join(root, path), time, time);
}

async function pkg(dir: string, name: string, build = "tsup"): Promise<void> {
  await file(`${dir}/package.json`, JSON.stringify({ name, scripts: build ? { build } : {} }), past);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "fresh-builds-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("stalePackages", () => {
  it("lists a package whose source is newer than its dist, and none after a build", async () => {
    await pkg("runtimes/lua", "lua");
    await file("runtimes/lua/src/driver.ts", "", later);
    await file("runtimes/lua/dist/driver.js", "", past);
    expect(stalePackages(root)).toEqual(["lua"]);
    await file("runtimes/lua/dist/driver.js", "", new Date("2026-01-03T00:00:00Z"));
    expect(stalePackages(root)).toEqual([]);
  });

  it("counts a missing dist, guest files and the build config as stale, but not tests or unbuilt packages", async () => {
    await pkg("packages/never-built", "never-built");
    await file("packages/never-built/src/index.ts", "", past);
    await pkg("runtimes/ruby", "ruby");
    await file("runtimes/ruby/dist/index.js", "", later);
    await file("runtimes/ruby/guest/state.rb", "", new Date("2026-01-03T00:00:00Z"));
    await pkg("packages/tested", "tested");
    await file("packages/tested/dist/index.js", "", later);
    await file("packages/tested/src/index.test.ts", "", new Date("2026-01-03T00:00:00Z"));
    await pkg("packages/configured", "configured");
    await file("packages/configured/dist/index.js", "", later);
    await file("packages/configured/tsup.config.ts", "", new Date("2026-01-03T00:00:00Z"));
    await pkg("packages/no-build", "no-build", "");
    await file("packages/no-build/src/index.ts", "", later);
    expect(stalePackages(root).sort()).toEqual(["configured", "never-built", "ruby"]);
  });
});
