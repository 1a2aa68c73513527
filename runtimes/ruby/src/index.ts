/**
 * `@llm-wasm-sandbox/runtime-ruby`: CRuby 3.4 (ruby.wasm, standard library included) for
 * llm-wasm-sandbox, with `$state` persistence and Ruby-specific error guidance. The
 * 30 MB WebAssembly binary loads only when the host first runs Ruby.
 */
import { rubyPlugin } from "./plugin.js";

export { rubyPlugin, RUBY_VERSION, USER_CODE_PATH } from "./plugin.js";
export { rubyLanguageError, interpretRubyRun, type RubyException } from "./interpret.js";
export default rubyPlugin;
