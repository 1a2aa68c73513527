import type { RuntimePackageOptions, RuntimePackages } from "@llm-wasm-sandbox/core";
import type { Command } from "commander";
import { resolveRuntime } from "../runtime-discovery.js";
import { cliErrorMessage } from "./errors.js";

interface VendorFlags {
  runtime: string;
  vendorDir?: string;
  index?: string;
  deps: boolean;
  json?: boolean;
}

/**
 * `llm-wasm-sandbox vendor add|list|remove`: packages of any runtime that offers them
 * (`RuntimePlugin.packages`; Python: pure-Python packages mounted read-only at /data/site-packages).
 */
export function registerVendorCommand(program: Command): void {
  const vendor = program.command("vendor").description("manage a runtime's vendored packages (Python: pure-Python packages, mounted read-only at /data/site-packages)");
  const common = (cmd: Command) =>
    cmd
      .option("--runtime <name>", "the runtime whose packages to manage", "python")
      .option("--vendor-dir <dir>", "vendor directory (Python default: $LLM_WASM_SANDBOX_PYTHON_VENDOR_DIR or ~/.local/share/llm-wasm-sandbox/python/site-packages)")
      .option("--json", "print JSON");

  common(
    vendor
      .command("add")
      .description("install a pure-Python wheel, a package directory, or a package by name from the index")
      .argument("<source>", "a .whl file, a directory, or a requirement such as attrs or attrs==23.2.0")
      .option("--index <url>", "PEP 503/691 simple index for names (default: PyPI)")
      .option("--no-deps", "do not install the package's requirements"),
  ).action((source: string, flags: VendorFlags) =>
    guard(flags, async (packages) => {
      const result = await packages.add(source, { ...dirOption(flags), ...(flags.index ? { indexUrl: flags.index } : {}), dependencies: flags.deps });
      if (flags.json) return print(result);
      for (const p of result.installed) process.stdout.write(`installed ${p.name} ${p.version}\n`);
      for (const r of result.skippedRequirements) process.stdout.write(`skipped requirement: ${r}\n`);
    }),
  );

  common(vendor.command("list").description("list vendored packages")).action((flags: VendorFlags) =>
    guard(flags, async (packages) => {
      const list = await packages.list(dirOption(flags));
      if (flags.json) return print(list);
      if (list.length === 0) process.stdout.write(`no packages vendored in ${flags.vendorDir ?? packages.defaultDir()}\n`);
      for (const p of list) process.stdout.write(`${p.name} ${p.version}\n`);
    }),
  );

  common(vendor.command("remove").description("remove a vendored package").argument("<name>")).action((name: string, flags: VendorFlags) =>
    guard(flags, async (packages) => {
      const removed = await packages.remove(name, dirOption(flags));
      if (flags.json) return print(removed);
      process.stdout.write(`removed ${removed.name} ${removed.version}\n`);
    }),
  );
}

function dirOption(flags: VendorFlags): RuntimePackageOptions {
  return flags.vendorDir ? { dir: flags.vendorDir } : {};
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function guard(flags: VendorFlags, fn: (packages: RuntimePackages) => Promise<void>): Promise<void> {
  try {
    const plugin = await resolveRuntime(flags.runtime);
    if (!plugin.packages) throw new Error(`the ${plugin.type} runtime has no packages to vendor`);
    await fn(plugin.packages);
  } catch (e) {
    process.stderr.write(`${(e as Error)?.name === "VendorError" ? (e as Error).message : cliErrorMessage(e)}\n`);
    process.exitCode = 2;
  }
}
