import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "examples/**/node_modules/**", "**/*.d.ts"] },
  // Programs the sandbox runs (agent-program corpus, behaviour probes): guest code for the sandbox's own globals, not this repo's.
  { ignores: ["tooling/fidelity/corpus/**", "tooling/fidelity/behaviours/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly" } },
  },
  {
    // Guest code the JavaScript runtime evaluates inside QuickJS as scripts: each file's
    // value is its last expression (a factory the driver calls), and no Node globals exist.
    files: ["runtimes/javascript/guest/*.js"],
    languageOptions: { sourceType: "script", globals: { process: "off", console: "off", URL: "off", Buffer: "off" } },
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
