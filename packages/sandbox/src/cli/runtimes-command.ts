import { defaultRegistry } from "@llm-wasm-sandbox/core";
import type { Command } from "commander";
import { installedRuntimes, resolveRuntime } from "../runtime-discovery.js";
import { collectList } from "./parse-size.js";
import { registerPluginModules } from "./plugins.js";

/** `llm-wasm-sandbox runtimes`: the installed runtimes with their versions. */
export function registerRuntimesCommand(program: Command): void {
  program
    .command("runtimes")
    .description("list the installed runtimes with their versions")
    .option("--json", "print JSON")
    .option("--plugin <module>", "also list a third-party runtime plugin (package name or file path; repeatable)", collectList)
    .action(async (flags: { json?: boolean; plugin?: string[] }) => {
      if (flags.plugin?.length) await registerPluginModules(flags.plugin);
      const rows = [];
      for (const type of await installedRuntimes(defaultRegistry)) {
        const plugin = await resolveRuntime(type, defaultRegistry);
        rows.push({ type, displayName: plugin.displayName, package: plugin.packageName, version: plugin.version, fileExtension: plugin.fileExtension, extraExtensions: plugin.extraExtensions ?? [], languageVersion: plugin.languageVersion });
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) process.stdout.write("no runtimes installed — npm install @llm-wasm-sandbox/runtime-python (or -javascript, -ruby, -lua, -wasm)\n");
      for (const r of rows) {
        process.stdout.write(`${r.type.padEnd(12)} ${r.displayName.padEnd(24)} ${r.package}@${r.version}${r.languageVersion ? `  (${r.languageVersion})` : ""}\n`);
      }
    });
}
