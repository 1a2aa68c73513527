/**
 * `@llm-wasm-sandbox/runtime-ruby`: CRuby 3.4 (ruby.wasm, standard library included) for
 * llm-wasm-sandbox, with `$state` persistence and Ruby-specific error guidance. The
 * engine and the 30 MB WebAssembly binary load only on `load()`.
 */
import { createRequire } from "node:module";
import { RuntimeType, type RuntimePlugin } from "@llm-wasm-sandbox/core";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** The Ruby runtime plugin. */
export const rubyPlugin: RuntimePlugin = Object.freeze({
  specificationVersion: "v1",
  type: RuntimeType.RUBY,
  displayName: "Ruby (CRuby 3.4)",
  fileExtension: ".rb",
  packageName: pkg.name,
  version: pkg.version,
  defaults: {},
  async load(loadOptions) {
    const { createRubyEngine } = await import("./engine.js");
    return createRubyEngine(loadOptions);
  },
} satisfies RuntimePlugin);
export default rubyPlugin;

export { parseRubyException, rubyLanguageError, interpretRubyRun, type RubyException } from "./interpret.js";
export { USER_CODE_PATH } from "./bootstrap.js";
