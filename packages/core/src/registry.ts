import { z } from "zod";
import { PolicyValidationError } from "./errors/policy-validation-error.js";
import type { RuntimePlugin } from "./runtime-plugin.js";
import { toValidationIssues } from "./validation.js";

const PluginShape = z.object({
  specificationVersion: z.literal("v2", {
    error: (issue) =>
      issue.input === "v1"
        ? "this plugin implements the v1 runtime contract (load → engine.execute); this version of llm-wasm-sandbox needs v2 (prepare → RunSpec, interpret): see docs/architecture.md and the \"Writing a runtime plugin\" guide"
        : "must be \"v2\"",
  }),
  type: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a lowercase name such as \"python\" or \"my-lang\""),
  displayName: z.string().min(1),
  fileExtension: z.string().regex(/^\.[A-Za-z0-9]+$/, "an extension with its dot, e.g. \".py\""),
  extraExtensions: z.array(z.string().regex(/^\.[A-Za-z0-9]+$/, "an extension with its dot")).optional(),
  languageVersion: z.string().min(1),
  packageName: z.string().min(1),
  version: z.string().min(1),
  prepare: z.function(),
  interpret: z.function(),
});

/** Runtime plugins keyed by their type. */
export class RuntimeRegistry {
  readonly #plugins = new Map<string, RuntimePlugin>();

  /**
   * Adds a plugin. Registering a second plugin for the same type is an error
   * unless `replace` is set.
   * @throws PolicyValidationError when the object is not a v2 RuntimePlugin (a v1 plugin gets a message saying how to port it).
   */
  register(plugin: RuntimePlugin, options: { replace?: boolean } = {}): void {
    const parsed = PluginShape.safeParse(plugin);
    if (!parsed.success) throw new PolicyValidationError(toValidationIssues(parsed.error), "runtime plugin");
    if (this.#plugins.has(plugin.type) && !options.replace && this.#plugins.get(plugin.type) !== plugin) {
      throw new PolicyValidationError(
        [{ path: "type", message: `a runtime "${plugin.type}" is already registered; pass { replace: true } to override it` }],
        "runtime plugin",
      );
    }
    this.#plugins.set(plugin.type, plugin);
  }

  get(type: string): RuntimePlugin | undefined {
    return this.#plugins.get(type);
  }

  has(type: string): boolean {
    return this.#plugins.has(type);
  }

  unregister(type: string): boolean {
    return this.#plugins.delete(type);
  }

  /** Registered plugins, sorted by type. */
  list(): RuntimePlugin[] {
    return [...this.#plugins.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}

/** The process-wide registry `createSandbox` consults first. */
export const defaultRegistry = new RuntimeRegistry();

/** Registers a runtime plugin in the process-wide registry. */
export function registerRuntime(plugin: RuntimePlugin, options?: { replace?: boolean }): void {
  defaultRegistry.register(plugin, options);
}
