/**
 * Turns a WASI 0.2 component into something a worker can run under the meter (worker
 * side, called by prepare-input.ts): jco-transpile's bindgen generates the glue in
 * instantiation mode (the generated JavaScript imports nothing; every WASI interface is
 * handed to it by our driver, and every core module comes from our `getCoreModule`), and
 * each core module is fuel-metered and compiled here, in memory.
 */
import { createHash } from "node:crypto";
import { hasMarker, SandboxError } from "@llm-wasm-sandbox/core/errors";
import { instrumentModule, MeterError, type MeterLimits } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import type { MeteredImage } from "@llm-wasm-sandbox/wasi-host/driver";
import { loadComponentGenerator } from "../jco.js";

/** Options of `prepareComponent`. */
export interface PrepareComponentOptions {
  /** Most core modules a component may contain (each becomes at least one instance). */
  readonly maxCoreModules: number;
  /** Caps on each core module's metering. */
  readonly meterLimits?: MeterLimits;
}

/** A component ready to run: the glue's source and its metered core modules. */
export interface PreparedComponent {
  /** jco's instantiation-mode JavaScript (an ES module exporting `instantiate`). */
  readonly glue: string;
  /** Metered core modules by the file name the glue asks for. */
  readonly coreModules: Readonly<Record<string, MeteredImage>>;
  /** The core module whose memory the run's capped memory is sized from. */
  readonly primary: string;
  /** WASI interfaces the component imports (e.g. `wasi:cli/stdout@0.2.3`). */
  readonly imports: readonly string[];
  /** The `wasi:cli/run` export name, or null when the component is not a command. */
  readonly runExport: string | null;
  /** Bytes of metered core modules (what the compiled code is sized from). */
  readonly meteredBytes: number;
}

const rejectedMarker = Symbol.for("llm-wasm-sandbox.ComponentRejectedError");

/** Thrown when a component cannot be run; the message is meant for the user. */
export class ComponentRejectedError extends SandboxError {
  readonly [rejectedMarker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super("COMPONENT_REJECTED", message, options);
  }

  static override isInstance(e: unknown): e is ComponentRejectedError {
    return hasMarker(e, rejectedMarker);
  }
}

/**
 * Prepares `bytes` (a component binary) for `run` with the component driver.
 * @throws ComponentRejectedError when it cannot be transpiled, has too many core
 *   modules, or one of them cannot be metered; WasmToolchainMissingError without jco-transpile.
 */
export async function prepareComponent(bytes: Uint8Array, options: PrepareComponentOptions): Promise<PreparedComponent> {
  const generate = await loadComponentGenerator();
  let out: ReturnType<typeof generate>;
  try {
    out = generate(bytes, {
      name: "component",
      instantiation: { tag: "async" },
      noTypescript: true,
      noNodejsCompat: true,
      base64Cutoff: 0,
      map: [],
      noComponentErrorWrapping: true,
    });
  } catch (cause) {
    throw new ComponentRejectedError(`the component could not be transpiled: ${String(cause).slice(0, 500)}`, { cause });
  }
  const files = Object.fromEntries(out.files);
  const glueBytes = files["component.js"];
  if (!glueBytes) throw new ComponentRejectedError("jco produced no component.js for this component");
  const names = Object.keys(files).filter((f) => f.endsWith(".wasm"));
  if (names.length > options.maxCoreModules) {
    throw new ComponentRejectedError(`the component has ${names.length} core modules; at most ${options.maxCoreModules} are allowed`);
  }
  const coreModules: Record<string, MeteredImage> = {};
  let primary = names[0] ?? "";
  let meteredBytes = 0;
  for (const name of names) {
    const { image, size } = await meterCore(files[name]!, name, options.meterLimits ?? {});
    coreModules[name] = image;
    meteredBytes += size;
    if (image.memory.initialPages > (coreModules[primary]?.memory.initialPages ?? -1)) primary = name;
  }
  const runExport = out.exports.map(([n]) => n).find((n) => /^wasi:cli\/run@0\.2\./.test(n)) ?? null;
  return { glue: new TextDecoder().decode(glueBytes), coreModules, primary, imports: out.imports, runExport, meteredBytes };
}

async function meterCore(bytes: Uint8Array, name: string, limits: MeterLimits): Promise<{ image: MeteredImage; size: number }> {
  let res;
  try {
    res = instrumentModule(bytes, {}, limits);
  } catch (cause) {
    if (MeterError.isInstance(cause)) throw new ComponentRejectedError(`core module ${name} cannot be metered: ${cause.message}`, { cause });
    throw cause;
  }
  const module = await WebAssembly.compile(res.bytes);
  const hash = createHash("sha256").update(bytes).digest("hex");
  return { image: { name, hash, module, memory: res.memory, fuelExport: res.fuelExport, growFailedExport: res.growFailedExport }, size: res.bytes.length };
}
