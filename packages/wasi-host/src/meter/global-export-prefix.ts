/**
 * Prefix of the exports the meter adds for a module's defined mutable globals
 * (`exportMutableGlobals`). A module of its own, with no imports, so the worker-side
 * snapshot code (`snapshot/memory-image.ts`, part of the `./driver` entry) can name those
 * exports without loading the meter and, through its errors, the whole of core.
 */
export const GLOBAL_EXPORT_PREFIX = "__llm_global_";
