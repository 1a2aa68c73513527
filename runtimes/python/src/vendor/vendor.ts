/**
 * The vendored-package directory: pure-Python packages installed on the host and mounted
 * read-only into every Python run at /data/site-packages.
 */
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { HostFileError, readHostFile } from "@llm-wasm-sandbox/host-files";
import { DEFAULT_MAX_WHEEL_BYTES } from "./download.js";
import { DEFAULT_INDEX_URL, downloadFile, type IndexLimits, parseRequirement, resolveWheel } from "./package-index.js";
import { OWNED_MODULES } from "../sandbox-lib.js";
import { VendorError } from "./vendor-error.js";
import { MAX_UNPACKED_BYTES, normalizeName, readWheel, type Wheel } from "./wheel.js";

/** Guest path of the vendor directory. */
export const SITE_PACKAGES_GUEST_PATH = "/data/site-packages";

/** Our manifest inside each installed `.dist-info`: the files we wrote, for removal. */
const MANIFEST = "LLM_SANDBOX_FILES.json";
const NATIVE_FILE = /\.(so(\.\d+)*|pyd|dylib|dll)$/i;
/** Default cap on the packages one `vendorAdd` by name installs (the package and its requirements). */
export const DEFAULT_MAX_PACKAGES = 64;
/** Files a package directory may hold (a directory source, not a wheel). */
const MAX_DIRECTORY_FILES = 20_000;
/** Our own small files in the vendor dir (METADATA, the manifest) are read up to this. */
const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/** Options of every vendor operation. */
export interface VendorOptions extends IndexLimits {
  /** The vendor directory; default `defaultVendorDir()`. */
  readonly vendorDir?: string;
  /** PEP 503/691 simple index used when installing by name; default PyPI. */
  readonly indexUrl?: string;
  /** Also install the requirements (`Requires-Dist` without environment markers). Default true. */
  readonly dependencies?: boolean;
  /** Most packages one install by name may bring in, itself included (default 64). */
  readonly maxPackages?: number;
}

/** One installed package. */
export interface VendoredPackage {
  readonly name: string;
  readonly version: string;
  /** Paths relative to the vendor directory. */
  readonly files: readonly string[];
}

/** What `vendorAdd` did. */
export interface VendorAddResult {
  readonly installed: readonly VendoredPackage[];
  /** Requirements not installed (environment markers, extras), for the caller to review. */
  readonly skippedRequirements: readonly string[];
}

/**
 * The default vendor directory: `$LLM_WASM_SANDBOX_PYTHON_VENDOR_DIR`, else
 * `$XDG_DATA_HOME/llm-wasm-sandbox/python/site-packages` (XDG_DATA_HOME defaults to
 * `~/.local/share`).
 */
export function defaultVendorDir(): string {
  const env = process.env.LLM_WASM_SANDBOX_PYTHON_VENDOR_DIR;
  if (env) return resolve(env);
  const data = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(data, "llm-wasm-sandbox", "python", "site-packages");
}

/**
 * Installs a pure-Python package into the vendor directory.
 * @param source A `.whl` file, a directory (a package with `__init__.py`, or a directory of
 *   wheels), or a requirement (`name` / `name==version`) resolved on the package index.
 * Downloads and local files are capped (`maxWheelBytes`, `maxIndexPageBytes`, and the
 * number of packages, `maxPackages`), so an index or a file cannot make the host hold
 * more than that.
 * @throws VendorError for native code (naming the files), unknown names, bad wheels,
 *   anything over a cap (`problem` says which); HostFileError for an unreadable local file.
 */
export async function vendorAdd(source: string, options: VendorOptions = {}): Promise<VendorAddResult> {
  const dir = options.vendorDir ?? defaultVendorDir();
  const info = await stat(source).catch(() => null);
  if (info?.isFile()) {
    if (!source.endsWith(".whl")) throw new VendorError(`${source} is not a .whl file; pass a wheel, a package directory or a package name`);
    const wheel = await readWheel(await readWheelFile(source, options), source);
    return { installed: [await installWheel(wheel, dir)], skippedRequirements: [] };
  }
  if (info?.isDirectory()) return addDirectory(source, dir, options);
  if (info) throw new VendorError(`${source} is neither a regular file nor a directory (a FIFO, socket or device); pass a wheel, a package directory or a package name`);
  if (/[\\/]/.test(source) || source.endsWith(".whl")) throw new VendorError(`${source} does not exist`);
  return addByName(source, dir, options);
}

/** Lists the packages in the vendor directory (those installed from wheels or directories). */
export async function vendorList(options: VendorOptions = {}): Promise<VendoredPackage[]> {
  const dir = options.vendorDir ?? defaultVendorDir();
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: VendoredPackage[] = [];
  for (const d of names.filter((n) => n.endsWith(".dist-info")).sort()) {
    const meta = await readSmallText(join(dir, d, "METADATA"));
    const field = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.+)$`, "im").exec(meta)?.[1]?.trim();
    const files = await readManifest(dir, d);
    out.push({ name: field("Name") ?? d.replace(/-[^-]*\.dist-info$/, ""), version: field("Version") ?? "0", files });
  }
  return out;
}

/**
 * Removes a vendored package (by name, any spelling PEP 503 treats as equal).
 * @returns The removed package.
 * @throws VendorError when it is not installed.
 */
export async function vendorRemove(name: string, options: VendorOptions = {}): Promise<VendoredPackage> {
  const dir = options.vendorDir ?? defaultVendorDir();
  const pkg = (await vendorList({ vendorDir: dir })).find((p) => normalizeName(p.name) === normalizeName(name));
  if (!pkg) throw new VendorError(`"${name}" is not vendored in ${dir}; vendorList() shows what is`);
  await removeFiles(dir, pkg.files);
  return pkg;
}

async function addByName(spec: string, dir: string, options: VendorOptions): Promise<VendorAddResult> {
  const indexUrl = options.indexUrl ?? DEFAULT_INDEX_URL;
  const maxPackages = options.maxPackages ?? DEFAULT_MAX_PACKAGES;
  const installed: VendoredPackage[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const queue = [spec];
  while (queue.length > 0) {
    const req = parseRequirement(queue.shift() ?? "");
    const key = normalizeName(req.name);
    if (seen.has(key)) continue;
    if (seen.size >= maxPackages) {
      throw new VendorError(
        `installing "${spec}" needs more than ${maxPackages} packages (next: "${req.name}"); ${installed.length} were installed — raise maxPackages or install the requirements one by one`,
        { problem: "too-many-packages" },
      );
    }
    seen.add(key);
    const file = await resolveWheel(req, indexUrl, options);
    const wheel = await readWheel(await downloadFile(file, options), file.filename);
    installed.push(await installWheel(wheel, dir));
    if (options.dependencies === false) continue;
    for (const r of wheel.requires) {
      if (r.includes(";")) skipped.push(`${wheel.name}: ${r}`);
      else queue.push(r);
    }
  }
  return { installed, skippedRequirements: skipped };
}

async function addDirectory(source: string, dir: string, options: VendorOptions): Promise<VendorAddResult> {
  const names = await readdir(source);
  const wheels = names.filter((n) => n.endsWith(".whl")).sort();
  if (wheels.length > 0 && !names.includes("__init__.py")) {
    const installed: VendoredPackage[] = [];
    for (const w of wheels) installed.push(await installWheel(await readWheel(await readWheelFile(join(source, w), options), w), dir));
    return { installed, skippedRequirements: [] };
  }
  if (!names.includes("__init__.py")) {
    throw new VendorError(`${source} is neither a Python package (no __init__.py) nor a directory of wheels`);
  }
  const pkgName = resolve(source).split(sep).pop() ?? "package";
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (const rel of await listTree(source)) {
    if (files.size >= MAX_DIRECTORY_FILES) throw new VendorError(`${source} holds more than ${MAX_DIRECTORY_FILES} files; refusing it`, { problem: "too-large" });
    // The same bound as a wheel's unpacked size, checked on each open file.
    const data = await readHostFile(join(source, rel), { maxBytes: MAX_UNPACKED_BYTES - total, label: "package file" }).catch((e: unknown) => {
      if (HostFileError.isInstance(e) && e.problem === "too-large") {
        throw new VendorError(`${source} holds more than ${MAX_UNPACKED_BYTES >> 20} MiB of files; refusing it`, { cause: e, problem: "too-large" });
      }
      throw e;
    });
    total += data.length;
    files.set(`${pkgName}/${rel}`, data);
  }
  const native = [...files.keys()].filter((p) => NATIVE_FILE.test(p));
  if (native.length > 0) throw new VendorError(`${source} is not pure Python (native code: ${native.slice(0, 10).join(", ")}); only pure-Python packages run in the sandbox`);
  const distInfo = `${pkgName}-0.0.0.dist-info`;
  files.set(`${distInfo}/METADATA`, new TextEncoder().encode(`Metadata-Version: 2.1\nName: ${pkgName}\nVersion: 0.0.0\n`));
  const wheel: Wheel = { name: pkgName, version: "0.0.0", distInfo, files, requires: [] };
  return { installed: [await installWheel(wheel, dir)], skippedRequirements: [] };
}

/** Writes a checked wheel's purelib content into the vendor dir, replacing an older install. */
async function installWheel(wheel: Wheel, dir: string): Promise<VendoredPackage> {
  refuseOwnedModules(wheel);
  await mkdir(dir, { recursive: true });
  const old = (await vendorList({ vendorDir: dir })).find((p) => normalizeName(p.name) === normalizeName(wheel.name));
  if (old) await removeFiles(dir, old.files);
  const dataDir = wheel.distInfo.replace(/\.dist-info$/, ".data");
  const written: string[] = [];
  for (const [path, data] of wheel.files) {
    let target = path;
    if (path.startsWith(`${dataDir}/`)) {
      const m = /^[^/]+\/(purelib|platlib)\/(.+)$/.exec(path);
      if (!m?.[2]) continue; // scripts, headers and data files have no place in the sandbox
      target = m[2];
    }
    const full = resolve(dir, target);
    if (!full.startsWith(resolve(dir) + sep)) throw new VendorError(`wheel path ${JSON.stringify(path)} leaves the vendor directory; refusing it`);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, data);
    written.push(target);
  }
  written.push(`${wheel.distInfo}/${MANIFEST}`);
  await writeFile(join(dir, wheel.distInfo, MANIFEST), JSON.stringify(written.sort(), null, 1));
  return { name: wheel.name, version: wheel.version, files: written };
}

async function readManifest(dir: string, distInfo: string): Promise<string[]> {
  const list = parseJson(await readSmallText(join(dir, distInfo, MANIFEST)));
  if (Array.isArray(list)) return list.filter((p): p is string => typeof p === "string");
  // Installed by another tool: fall back to the wheel's RECORD.
  const record = await readSmallText(join(dir, distInfo, "RECORD"));
  return record.split("\n").map((l) => l.split(",")[0] ?? "").filter((p) => p.length > 0);
}

/** A local wheel, read once and checked on the open file (regular, at most maxWheelBytes). */
async function readWheelFile(path: string, options: VendorOptions): Promise<Uint8Array> {
  return readHostFile(path, { maxBytes: options.maxWheelBytes ?? DEFAULT_MAX_WHEEL_BYTES, label: "wheel", followSymlinks: true }).catch((e: unknown) => {
    if (HostFileError.isInstance(e) && e.problem === "too-large") throw new VendorError(e.message, { cause: e, problem: "too-large" });
    throw e;
  });
}

/** A small text file of the vendor dir; "" when it is missing, special or over MAX_METADATA_BYTES. */
async function readSmallText(path: string): Promise<string> {
  try {
    return new TextDecoder().decode(await readHostFile(path, { maxBytes: MAX_METADATA_BYTES }));
  } catch (e) {
    if (HostFileError.isInstance(e)) return "";
    throw e;
  }
}

async function removeFiles(dir: string, files: readonly string[]): Promise<void> {
  const root = resolve(dir);
  const dirs = new Set<string>();
  for (const f of files) {
    const full = resolve(root, f);
    if (!full.startsWith(root + sep)) continue; // never delete outside the vendor dir
    await rm(full, { force: true });
    for (let d = dirname(full); d.startsWith(root + sep); d = dirname(d)) dirs.add(d);
  }
  // Remove directories left empty, deepest first.
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    if ((await readdir(d).catch(() => ["x"])).length === 0) await rm(d, { recursive: true, force: true });
  }
}

async function listTree(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== "__pycache__") out.push(...(await listTree(root, rel)));
    } else if (e.isFile()) out.push(rel); // symlinks and special files are not copied
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Top-level modules a vendored package may not ship: the sandbox's own and the host-function stubs (`tools`). */
const REFUSED_MODULES: readonly string[] = [...OWNED_MODULES, "tools"];

/**
 * Refuses a package that ships a module the sandbox owns (`sandbox_utils`, `_llm_sandbox`,
 * `tools`), checked before anything is written. The sandbox's directory comes first on
 * `sys.path`, so such a copy could never be imported — but it would look as if it replaced them.
 * @throws VendorError naming the file.
 */
export function refuseOwnedModules(wheel: Wheel): void {
  const dataDir = wheel.distInfo.replace(/\.dist-info$/, ".data");
  for (const path of wheel.files.keys()) {
    const importable = path.startsWith(`${dataDir}/`) ? /^[^/]+\/(?:purelib|platlib)\/(.+)$/.exec(path)?.[1] : path;
    const top = importable?.split("/")[0]?.replace(/\.(py|pyc)$/, "");
    if (top !== undefined && REFUSED_MODULES.includes(top)) {
      throw new VendorError(`${wheel.name} ships ${JSON.stringify(path)}, a module the sandbox provides itself (${REFUSED_MODULES.join(", ")}); refusing it`);
    }
  }
}
