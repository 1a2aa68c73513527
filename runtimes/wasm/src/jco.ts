/**
 * The optional toolchain: `@bytecodealliance/jco-transpile` parses WAT text (its
 * wasm-tools build) and transpiles WASI 0.2 components (its js-component-bindgen build).
 * It is an optional peer dependency — jco's full CLI package would add ~330 MB (binaryen,
 * componentize-js, TypeScript) to every install and even jco-transpile brings binaryen
 * (~93 MB), so base64 core modules run without it and WAT and components ask for it by
 * name. Only the two vendored tools are loaded, never the package's main entry (which
 * loads its minifier and optimizer).
 */
import { createRequire } from "node:module";
import { hasMarker, SandboxError } from "@llm-wasm-sandbox/core/errors";

/** The npm package that provides WAT parsing and component transpiling. */
export const JCO_PACKAGE = "@bytecodealliance/jco-transpile";

const marker = Symbol.for("llm-wasm-sandbox.WasmToolchainMissingError");

/** WAT text or a component was given but `@bytecodealliance/jco-transpile` is not installed. */
export class WasmToolchainMissingError extends SandboxError {
  readonly [marker] = true;
  /** The package to install. */
  readonly packageName = JCO_PACKAGE;
  /** What needed it ("WebAssembly text (WAT)", "running a WASI 0.2 component"). */
  readonly what: string;

  constructor(what: string, options?: { cause?: unknown }) {
    super(
      "TOOLCHAIN_MISSING",
      `[wasm] ${what} needs the optional package ${JCO_PACKAGE} — install it next to @llm-wasm-sandbox/runtime-wasm ` +
        `(npm install ${JCO_PACKAGE}); base64-encoded core modules run without it`,
      options,
    );
    this.what = what;
  }

  static override isInstance(e: unknown): e is WasmToolchainMissingError {
    return hasMarker(e, marker);
  }
}

/** jco-transpile's `generate` (js-component-bindgen), as far as this runtime uses it. */
export type GenerateComponent = (
  component: Uint8Array,
  options: Record<string, unknown>,
) => { files: Array<[string, Uint8Array]>; imports: string[]; exports: Array<[string, string]> };

/** Loads jco-transpile's WAT parser; throws WasmToolchainMissingError when it is not installed. */
export async function loadWatParser(): Promise<(wat: string) => Promise<Uint8Array>> {
  const mod = await importJco<{ parse(wat: string): Promise<Uint8Array> }>("wasm-tools", "WebAssembly text (WAT)");
  return (wat) => mod.parse(wat);
}

/** Loads jco-transpile's component generator; throws WasmToolchainMissingError when it is not installed. */
export async function loadComponentGenerator(): Promise<GenerateComponent> {
  const mod = await importJco<{ $init: Promise<void>; generate: GenerateComponent }>("component", "running a WASI 0.2 component");
  await mod.$init;
  return mod.generate;
}

/** Whether `@bytecodealliance/jco-transpile` can be loaded from here (a cheap resolve, no import). */
export function jcoInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve(JCO_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

/** Resolves a dependency of jco-transpile (the preview2-shim its glue was generated for). */
export function resolveJcoDependency(name: string): string {
  const jco = createRequire(import.meta.url).resolve(JCO_PACKAGE);
  return createRequire(jco).resolve(name);
}

async function importJco<T>(subpath: string, what: string): Promise<T> {
  try {
    return (await import(`${JCO_PACKAGE}/${subpath}`)) as T;
  } catch (cause) {
    if (isModuleNotFound(cause)) throw new WasmToolchainMissingError(what, { cause });
    throw cause;
  }
}

/** True for a module-not-found error, also when a loader hook wrapped it (its `cause`). */
function isModuleNotFound(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 3 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
