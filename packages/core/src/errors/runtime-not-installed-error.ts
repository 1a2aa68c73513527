import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.RuntimeNotInstalledError");

/** The requested runtime is neither registered nor installed as a package. */
export class RuntimeNotInstalledError extends SandboxError {
  readonly [marker] = true;
  readonly runtime: string;
  /** The package that provides the runtime; null when no known package does. */
  readonly packageName: string | null;

  constructor(runtime: string, packageName: string | null, available: readonly string[], options?: { cause?: unknown }) {
    const have = available.length > 0 ? available.join(", ") : "none";
    const what = packageName
      ? `runtime "${runtime}" is not installed — run \`npm install ${packageName}\``
      : `unknown runtime "${runtime}" — it is not built in (python, javascript, ruby, lua, wasm); ` +
        "a third-party runtime must be registered first with registerRuntime(plugin)";
    super("RUNTIME_NOT_INSTALLED", `${what}; installed runtimes: ${have}`, options);
    this.runtime = runtime;
    this.packageName = packageName;
  }

  static override isInstance(e: unknown): e is RuntimeNotInstalledError {
    return hasMarker(e, marker);
  }
}
