/**
 * Meters and compiles a user's module without touching the on-disk cache (an LLM can
 * write a new module every turn; none of them belongs in the user's cache directory),
 * keeping the last few compiled images in memory so re-running one is cheap.
 */
import { createHash } from "node:crypto";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core";
import { instrumentModule, MeterError, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";

/** Compiled images kept per process (a small LRU: user modules are not shared). */
export const USER_IMAGE_CACHE_SIZE = 16;

const images = new Map<string, Promise<MeteredImage>>();

/** Thrown when the meter cannot instrument the module; its message is for the user. */
export class ModuleNotRunnableError extends SandboxExecutionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The metered, compiled image of `bytes` (already checked by `checkModule`). */
export function userImage(bytes: Uint8Array, name: string): Promise<MeteredImage> {
  const hash = createHash("sha256").update(bytes).digest("hex");
  const hit = images.get(hash);
  if (hit) {
    images.delete(hash);
    images.set(hash, hit); // most recently used last
    return hit;
  }
  const pending = compile(bytes, hash, name);
  images.set(hash, pending);
  pending.catch(() => images.delete(hash));
  while (images.size > USER_IMAGE_CACHE_SIZE) images.delete(images.keys().next().value!);
  return pending;
}

async function compile(bytes: Uint8Array, hash: string, name: string): Promise<MeteredImage> {
  let res;
  try {
    res = instrumentModule(bytes);
  } catch (cause) {
    if (cause instanceof MeterError) throw new ModuleNotRunnableError(`the module cannot be metered: ${cause.message}`, { cause });
    throw cause;
  }
  const module = await WebAssembly.compile(res.bytes);
  return { name, hash, module, memory: res.memory, fuelExport: res.fuelExport, growFailedExport: res.growFailedExport };
}
