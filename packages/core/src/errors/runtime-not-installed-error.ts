import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.RuntimeNotInstalledError");

/** The requested runtime is neither registered nor installed as a package. */
export class RuntimeNotInstalledError extends SandboxError {
  readonly [marker] = true;
  readonly runtime: string;
  readonly packageName: string;

  constructor(runtime: string, packageName: string, available: readonly string[], options?: { cause?: unknown }) {
    const have = available.length > 0 ? available.join(", ") : "none";
    super(
      "RUNTIME_NOT_INSTALLED",
      `runtime "${runtime}" is not installed — run \`npm install ${packageName}\` ` +
        `(or register a plugin for it with registerRuntime); installed runtimes: ${have}`,
      options,
    );
    this.runtime = runtime;
    this.packageName = packageName;
  }

  static override isInstance(e: unknown): e is RuntimeNotInstalledError {
    return typeof e === "object" && e !== null && marker in e;
  }
}
