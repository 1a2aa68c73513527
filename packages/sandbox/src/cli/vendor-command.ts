import { RuntimeNotInstalledError } from "@llm-wasm-sandbox/core";
import type { Command } from "commander";
import { cliErrorMessage } from "./errors.js";
import type * as PythonRuntime from "@llm-wasm-sandbox/runtime-python";

type PythonVendoring = Pick<typeof PythonRuntime, "vendorAdd" | "vendorList" | "vendorRemove" | "defaultVendorDir">;

interface VendorFlags {
  vendorDir?: string;
  index?: string;
  deps: boolean;
  json?: boolean;
}

/** `llm-wasm-sandbox vendor add|list|remove`: pure-Python packages mounted read-only at /data/site-packages. */
export function registerVendorCommand(program: Command): void {
  const vendor = program.command("vendor").description("manage vendored pure-Python packages (mounted read-only at /data/site-packages)");
  const common = (cmd: Command) =>
    cmd.option("--vendor-dir <dir>", "vendor directory (default: $LLM_WASM_SANDBOX_PYTHON_VENDOR_DIR or ~/.local/share/llm-wasm-sandbox/python/site-packages)").option("--json", "print JSON");

  common(
    vendor
      .command("add")
      .description("install a pure-Python wheel, a package directory, or a package by name from the index")
      .argument("<source>", "a .whl file, a directory, or a requirement such as attrs or attrs==23.2.0")
      .option("--index <url>", "PEP 503/691 simple index for names (default: PyPI)")
      .option("--no-deps", "do not install the package's requirements"),
  ).action((source: string, flags: VendorFlags) =>
    guard(async (py) => {
      const result = await py.vendorAdd(source, { ...dirOption(flags), ...(flags.index ? { indexUrl: flags.index } : {}), dependencies: flags.deps });
      if (flags.json) return print(result);
      for (const p of result.installed) process.stdout.write(`installed ${p.name} ${p.version} (${p.files.length} files)\n`);
      for (const r of result.skippedRequirements) process.stdout.write(`skipped requirement: ${r}\n`);
    }),
  );

  common(vendor.command("list").description("list vendored packages")).action((flags: VendorFlags) =>
    guard(async (py) => {
      const list = await py.vendorList(dirOption(flags));
      if (flags.json) return print(list);
      if (list.length === 0) process.stdout.write(`no packages vendored in ${flags.vendorDir ?? py.defaultVendorDir()}\n`);
      for (const p of list) process.stdout.write(`${p.name} ${p.version}\n`);
    }),
  );

  common(vendor.command("remove").description("remove a vendored package").argument("<name>")).action((name: string, flags: VendorFlags) =>
    guard(async (py) => {
      const removed = await py.vendorRemove(name, dirOption(flags));
      if (flags.json) return print(removed);
      process.stdout.write(`removed ${removed.name} ${removed.version}\n`);
    }),
  );
}

function dirOption(flags: VendorFlags): { vendorDir?: string } {
  return flags.vendorDir ? { vendorDir: flags.vendorDir } : {};
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function guard(fn: (py: PythonVendoring) => Promise<void>): Promise<void> {
  try {
    await fn(await loadPython());
  } catch (e) {
    process.stderr.write(`${(e as Error)?.name === "VendorError" ? (e as Error).message : cliErrorMessage(e)}\n`);
    process.exitCode = 2;
  }
}

async function loadPython(): Promise<PythonVendoring> {
  const pkg = "@llm-wasm-sandbox/runtime-python";
  try {
    return (await import(/* @vite-ignore */ pkg)) as PythonVendoring;
  } catch (cause) {
    throw new RuntimeNotInstalledError("python", pkg, [], { cause });
  }
}
