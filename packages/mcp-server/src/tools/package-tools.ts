import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { resolveRuntime, type RuntimePackages } from "llm-wasm-sandbox";
import { z } from "zod";
import type { SandboxService } from "../service.js";
import { ToolInputError } from "../tool-input-error.js";
import { guarded, ok } from "./result-format.js";

/** install_package and list_available_packages (Python). */
export function registerPackageTools(server: McpServer, service: SandboxService): void {
  server.registerTool(
    "install_package",
    {
      title: "Install Python package",
      description:
        "Install a pure-Python package (a wheel from the configured package index) for every Python session on this server; it becomes importable from /data/site-packages (read-only). Packages with native code (numpy, pandas, …) cannot run in WebAssembly and are refused.",
      inputSchema: {
        package: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+(==[A-Za-z0-9._+!-]+)?$/, "a name or name==version").describe("e.g. attrs or attrs==23.2.0"),
        session_id: z.string().max(128).optional().describe("Ignored: installed packages are shared by every Python session of this server."),
      },
      outputSchema: {
        installed: z.array(z.object({ name: z.string(), version: z.string() })).describe("The package and the requirements installed with it."),
        skipped_requirements: z.array(z.string()).describe("Requirements not installed (e.g. for another platform or Python version)."),
      },
    },
    async (args) =>
      guarded(async () => {
        const packages = await pythonPackages(service);
        const result = await packages.add(args.package, {
          ...(service.options.vendorDir ? { dir: service.options.vendorDir } : {}),
          ...(service.options.packageIndexUrl ? { indexUrl: service.options.packageIndexUrl } : {}),
        });
        const names = result.installed.map((p) => `${p.name} ${p.version}`);
        return ok(`Installed ${names.join(", ")}. Import it in Python as usual.${result.skippedRequirements.length ? ` Skipped requirements: ${result.skippedRequirements.join(", ")}` : ""}`, {
          installed: result.installed.map((p) => ({ name: p.name, version: p.version })),
          skipped_requirements: result.skippedRequirements,
        });
      }),
  );

  server.registerTool(
    "list_available_packages",
    {
      title: "List available packages",
      description: "List the Python packages importable beyond the standard library (vendored pure-Python packages), plus the built-in helpers.",
      inputSchema: {},
      outputSchema: {
        python: z.object({
          builtin: z.array(z.string()),
          vendored: z.array(z.object({ name: z.string(), version: z.string() })).describe("Packages installed with install_package."),
        }),
      },
      annotations: { readOnlyHint: true },
    },
    async () =>
      guarded(async () => {
        const packages = await pythonPackages(service);
        const vendored = await packages.list(service.options.vendorDir ? { dir: service.options.vendorDir } : {});
        const text = [
          "Python: the whole standard library, plus sandbox_utils (find, grep, head, tail, csv_to_json, …).",
          vendored.length ? `Vendored: ${vendored.map((p) => `${p.name} ${p.version}`).join(", ")}` : "Vendored: none yet (install_package adds pure-Python packages).",
        ].join("\n");
        return ok(text, { python: { builtin: ["standard library", "sandbox_utils"], vendored: vendored.map((p) => ({ name: p.name, version: p.version })) } });
      }),
  );
}

/** Python's package capability (`RuntimePlugin.packages`), when Python is enabled here. */
async function pythonPackages(service: SandboxService): Promise<RuntimePackages> {
  if (!(await service.runtimes()).includes("python")) throw new ToolInputError("the python runtime is not enabled on this server");
  const plugin = await resolveRuntime("python");
  if (!plugin.packages) throw new ToolInputError("the installed python runtime cannot install packages");
  return plugin.packages;
}
