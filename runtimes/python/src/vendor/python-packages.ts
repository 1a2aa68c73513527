/**
 * The Python plugin's package capability (`RuntimePlugin.packages`): vendored pure-Python
 * packages, installed on the host and seen read-only by runs at /data/site-packages. The
 * CLI and the MCP server reach vendoring only through this, never by importing this runtime.
 */
import type { RuntimePackageOptions, RuntimePackages } from "@llm-wasm-sandbox/core";
import { defaultVendorDir, SITE_PACKAGES_GUEST_PATH, vendorAdd, vendorList, vendorRemove, type VendorOptions } from "./vendor.js";

function vendorOptions(options: RuntimePackageOptions, defaultDir: string | undefined): VendorOptions {
  const dir = options.dir ?? defaultDir;
  return {
    ...(dir !== undefined ? { vendorDir: dir } : {}),
    ...(options.indexUrl !== undefined ? { indexUrl: options.indexUrl } : {}),
    ...(options.dependencies !== undefined ? { dependencies: options.dependencies } : {}),
  };
}

/** Python's packages over `vendorDir` (default `defaultVendorDir()`), the directory the plugin mounts. */
export function pythonPackages(vendorDir?: string): RuntimePackages {
  return Object.freeze({
    description: "pure-Python packages (wheels from a PEP 503/691 index, or a .whl file or package directory)",
    guestPath: SITE_PACKAGES_GUEST_PATH,
    defaultDir: () => vendorDir ?? defaultVendorDir(),
    add: async (source, options = {}) => {
      const result = await vendorAdd(source, vendorOptions(options, vendorDir));
      return { installed: result.installed.map(({ name, version }) => ({ name, version })), skippedRequirements: result.skippedRequirements };
    },
    list: async (options = {}) => (await vendorList(vendorOptions(options, vendorDir))).map(({ name, version }) => ({ name, version })),
    remove: async (name, options = {}) => {
      const removed = await vendorRemove(name, vendorOptions(options, vendorDir));
      return { name: removed.name, version: removed.version };
    },
  } satisfies RuntimePackages);
}
