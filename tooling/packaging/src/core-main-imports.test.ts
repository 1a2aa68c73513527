/**
 * wasi-host and the runtime plugins take values from core's zod-free subpaths only
 * (`@llm-wasm-sandbox/core/errors`, `/runtime-type`, …), never from its main entry: the
 * CLI's bundle holds core's main entry itself, and a plugin or wasi-host module that
 * imported it from node_modules would load a second copy of core, with zod, in the CLI's
 * process (see packages/sandbox/src/cli/start.ts). Types may come from anywhere. Under
 * `verbatimModuleSyntax`, `import { type A } from "…"` still loads the module: only
 * `import type` does not.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./workspace.js";

/** Statements that load core's main entry at run time (not `import type` / `export type`), and dynamic imports of it. */
const LOADS_CORE_MAIN = /^\s*(?:import|export)\s+(?!type\b)(?:[^;"]*?\bfrom\s+)?"@llm-wasm-sandbox\/core"|\bimport\(\s*"@llm-wasm-sandbox\/core"\s*\)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !/\.test(-d)?\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

// host-files too: the CLI bundle leaves it external, and `--external` loads it.
const ROOTS = ["packages/wasi-host/src", "packages/host-files/src", ...readdirSync(join(REPO_ROOT, "runtimes")).map((r) => `runtimes/${r}/src`)];

describe("core's main entry stays out of wasi-host, host-files and the runtime plugins", () => {
  it("the pattern catches a value import, an inline-type import, a bare import and a dynamic import, not import type", () => {
    const sample = ['import { RuntimeType } from "@llm-wasm-sandbox/core";', 'import {\n  type RawRun,\n} from "@llm-wasm-sandbox/core";', 'import "@llm-wasm-sandbox/core";', 'import type { RawRun } from "@llm-wasm-sandbox/core";', 'import { lastFact } from "@llm-wasm-sandbox/core/guest-facts";', 'const core = await import("@llm-wasm-sandbox/core");', 'await import("@llm-wasm-sandbox/core/errors");'].join("\n");
    expect(sample.match(LOADS_CORE_MAIN)?.length).toBe(4);
  });

  it.each(ROOTS)("%s imports only types from @llm-wasm-sandbox/core", (root) => {
    const offenders = sourceFiles(join(REPO_ROOT, root)).flatMap((file) => (readFileSync(file, "utf8").match(LOADS_CORE_MAIN) ?? []).map((m) => `${relative(REPO_ROOT, file)}: ${m.trim()}`));
    expect(offenders).toEqual([]);
  });
});
