/**
 * Reading wheels (PEP 427): file-name tags, METADATA, and the refusal of anything that
 * is not pure Python.
 */
import { VendorError } from "./vendor-error.js";

/** The parts of a wheel file name: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`. */
export interface WheelName {
  readonly name: string;
  readonly version: string;
  readonly python: string;
  readonly abi: string;
  readonly platform: string;
}

/** A wheel read into memory. */
export interface Wheel {
  readonly name: string;
  readonly version: string;
  /** `{name}-{version}.dist-info` as found in the archive. */
  readonly distInfo: string;
  /** Archive paths → contents (directories omitted). */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** `Requires-Dist` lines of METADATA. */
  readonly requires: readonly string[];
}

/** Refuse archives that would unpack to more than this (zip bombs). */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
const NATIVE_FILE = /\.(so(\.\d+)*|pyd|dylib|dll)$/i;

/** Parses a wheel file name; null when it is not one. */
export function parseWheelName(filename: string): WheelName | null {
  const base = filename.split("/").pop() ?? filename;
  if (!base.endsWith(".whl")) return null;
  const parts = base.slice(0, -4).split("-");
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [name, version] = parts;
  const [python, abi, platform] = parts.slice(-3);
  if (!name || !version || !python || !abi || !platform) return null;
  return { name, version, python, abi, platform };
}

/** True when the tags say "pure Python 3": no ABI, any platform. */
export function isPureTag(w: WheelName): boolean {
  return w.abi === "none" && w.platform === "any" && w.python.split(".").some((t) => t === "py3" || /^py3\d+$/.test(t) || t === "cp312");
}

/** PEP 503 name normalization: `Foo.Bar_baz` → `foo-bar-baz`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * Unpacks and checks a wheel.
 * @throws VendorError when it is not a zip, has no dist-info, has unsafe paths, or
 *   contains native code (the message names the offending files).
 */
export async function readWheel(bytes: Uint8Array, filename = "package.whl"): Promise<Wheel> {
  // Loaded on first use: vendoring is rare, and the unzipper is most of this module's weight.
  const { unzipSync } = await import("fflate");
  let entries: Record<string, Uint8Array>;
  let total = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw new VendorError(`${filename} unpacks to more than ${MAX_UNPACKED_BYTES >> 20} MiB; refusing it`, { problem: "too-large" });
        return !f.name.endsWith("/");
      },
    });
  } catch (e) {
    if (VendorError.isInstance(e)) throw e;
    throw new VendorError(`${filename} is not a readable wheel (zip): ${(e as Error).message}`, { cause: e });
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, data] of Object.entries(entries)) {
    if (path.startsWith("/") || path.includes("\\") || path.split("/").some((s) => s === ".." || s === "") || /^[A-Za-z]:/.test(path)) {
      throw new VendorError(`${filename} contains an unsafe path ${JSON.stringify(path)}; refusing it`);
    }
    files.set(path, data);
  }
  const distInfo = [...new Set([...files.keys()].map((p) => p.split("/")[0] ?? ""))].find((d) => d.endsWith(".dist-info"));
  if (!distInfo) throw new VendorError(`${filename} has no .dist-info directory: it is not a wheel`);
  const text = (p: string): string => new TextDecoder().decode(files.get(`${distInfo}/${p}`) ?? new Uint8Array());
  const native = [...files.keys()].filter((p) => NATIVE_FILE.test(p));
  const impure = /^Root-Is-Purelib:\s*false/im.test(text("WHEEL"));
  const tags = parseWheelName(filename);
  if (native.length > 0 || impure || (tags && !isPureTag(tags))) {
    const why = native.length > 0 ? `native code: ${native.slice(0, 10).join(", ")}${native.length > 10 ? ` and ${native.length - 10} more` : ""}` : impure ? "its WHEEL file says Root-Is-Purelib: false" : `its tags ${tags?.python}-${tags?.abi}-${tags?.platform} are not pure Python (py3-none-any)`;
    throw new VendorError(`${filename} is not pure Python (${why}); only pure-Python wheels run in the WebAssembly sandbox — use a pure-Python alternative`);
  }
  const metadata = text("METADATA");
  const field = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.+)$`, "im").exec(metadata)?.[1]?.trim();
  const name = field("Name") ?? tags?.name ?? distInfo.replace(/-[^-]*\.dist-info$/, "");
  const version = field("Version") ?? tags?.version ?? "0";
  const requires = [...metadata.matchAll(/^Requires-Dist:\s*(.+)$/gim)].map((m) => (m[1] ?? "").trim());
  return { name, version, distInfo, files, requires };
}
