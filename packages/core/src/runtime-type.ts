/** The built-in runtimes. Plugins may register any other lowercase name. */
export const RuntimeType = {
  PYTHON: "python",
  JAVASCRIPT: "javascript",
  RUBY: "ruby",
  LUA: "lua",
  WASM: "wasm",
} as const;

/** A built-in runtime name. */
export type BuiltinRuntimeType = (typeof RuntimeType)[keyof typeof RuntimeType];

/** A runtime name: one of the built-ins, or any name a plugin registers. */
export type RuntimeType = BuiltinRuntimeType | (string & {});

/** npm package that provides each built-in runtime. */
export const BUILTIN_RUNTIME_PACKAGES: Readonly<Record<BuiltinRuntimeType, string>> = {
  python: "@llm-wasm-sandbox/runtime-python",
  javascript: "@llm-wasm-sandbox/runtime-javascript",
  ruby: "@llm-wasm-sandbox/runtime-ruby",
  lua: "@llm-wasm-sandbox/runtime-lua",
  wasm: "@llm-wasm-sandbox/runtime-wasm",
};

/** True when `name` is one of the built-in runtimes. */
export function isBuiltinRuntime(name: string): name is BuiltinRuntimeType {
  return Object.hasOwn(BUILTIN_RUNTIME_PACKAGES, name);
}
