/**
 * Which custom sections the meter drops. Debug info (DWARF `.debug_*`, source maps,
 * split-DWARF links) is often half of a runtime binary and is useless to V8, so it is
 * removed; `name` is kept by default because V8 uses it for readable trap stack traces.
 */

/** Options controlling custom-section stripping. */
export interface StripOptions {
  /** Keep the `name` section (function names in trap stack traces). Default true. */
  readonly keepNameSection?: boolean;
}

/** True when the custom section called `name` should be removed. */
export function shouldStripCustomSection(name: string, options: StripOptions = {}): boolean {
  if (name.startsWith(".debug_")) return true;
  if (name === "sourceMappingURL" || name === "external_debug_info") return true;
  if (name === "name") return options.keepNameSection === false;
  return false;
}
