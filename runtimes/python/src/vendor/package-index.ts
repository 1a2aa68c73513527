/**
 * Resolving a package name to a pure-Python wheel on a PEP 503 / PEP 691 "simple"
 * package index (PyPI by default), and downloading it with its hash checked.
 */
import { cappedGet, DEFAULT_MAX_INDEX_PAGE_BYTES, DEFAULT_MAX_WHEEL_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from "./download.js";
import { isPureTag, normalizeName, parseWheelName } from "./wheel.js";
import { VendorError } from "./vendor-error.js";

/** The default package index (PEP 503/691 simple API). */
export const DEFAULT_INDEX_URL = "https://pypi.org/simple/";

/** Caps on what the index may make the host download and hold. */
export interface IndexLimits {
  /** Largest index page, bytes (default 32 MiB). */
  readonly maxIndexPageBytes?: number;
  /** Largest wheel, bytes (default 64 MiB). */
  readonly maxWheelBytes?: number;
  /** Deadline of each request, ms (default 120 000). */
  readonly requestTimeoutMs?: number;
}

/** One file an index lists for a project. */
export interface IndexFile {
  readonly filename: string;
  readonly url: string;
  readonly sha256: string | null;
  readonly yanked: boolean;
}

/** A requirement as understood here: a name and an optional `==` pin. */
export interface SimpleRequirement {
  readonly name: string;
  readonly version: string | null;
}

/** Parses `name`, `name==1.2`, `name[extra]>=1` (only `==` pins are honoured). */
export function parseRequirement(spec: string): SimpleRequirement {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:\(?\s*==\s*([A-Za-z0-9.+!_-]+))?/.exec(spec);
  if (!m?.[1]) throw new VendorError(`cannot read the requirement ${JSON.stringify(spec)}; use a package name such as "attrs" or "attrs==23.2.0"`);
  return { name: m[1], version: m[2] ?? null };
}

/**
 * Lists a project's files from the index (JSON API when served, else the HTML page).
 * @throws VendorError: not found, unreachable, a page over `maxIndexPageBytes`, bad JSON.
 */
export async function listIndexFiles(name: string, indexUrl: string = DEFAULT_INDEX_URL, limits: IndexLimits = {}): Promise<IndexFile[]> {
  const pageUrl = new URL(`${normalizeName(name)}/`, indexUrl.endsWith("/") ? indexUrl : `${indexUrl}/`);
  const res = await cappedGet({
    url: pageUrl,
    what: `the index page of "${name}"`,
    maxBytes: limits.maxIndexPageBytes ?? DEFAULT_MAX_INDEX_PAGE_BYTES,
    timeoutMs: limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    headers: { Accept: "application/vnd.pypi.simple.v1+json, text/html;q=0.1" },
  });
  if (res.status === 404) throw new VendorError(`package "${name}" was not found on ${indexUrl}; check the spelling`);
  if (res.status < 200 || res.status > 299) throw new VendorError(`the package index answered ${res.status} for ${pageUrl.href}`);
  const body = new TextDecoder().decode(res.bytes);
  const base = res.url;
  if (res.contentType.includes("json")) {
    let doc: { files?: Array<{ filename: string; url: string; hashes?: Record<string, string>; yanked?: unknown }> };
    try {
      doc = JSON.parse(body) as typeof doc;
    } catch (e) {
      throw new VendorError(`the index page of "${name}" is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    if (!Array.isArray(doc.files)) throw new VendorError(`the index page of "${name}" has no "files" list`);
    // Entries without a string name or a URL we can parse are skipped, never trusted.
    return doc.files.flatMap((f) => {
      const url = typeof f?.url === "string" ? parseUrl(f.url, base) : null;
      if (typeof f?.filename !== "string" || url === null) return [];
      const sha256 = typeof f.hashes?.sha256 === "string" ? f.hashes.sha256 : null;
      return [{ filename: f.filename, url: url.href, sha256, yanked: Boolean(f.yanked) }];
    });
  }
  const files: IndexFile[] = [];
  for (const m of body.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/gi)) {
    const attrs = m[1] ?? "";
    const href = /href\s*=\s*"([^"]*)"/i.exec(attrs)?.[1] ?? /href\s*=\s*'([^']*)'/i.exec(attrs)?.[1];
    if (!href) continue;
    const url = parseUrl(decodeEntities(href), base);
    if (url === null) continue;
    const sha256 = /^#sha256=([0-9a-f]{64})$/i.exec(url.hash)?.[1] ?? null;
    url.hash = "";
    files.push({ filename: decodeEntities((m[2] ?? "").trim()), url: url.href, sha256, yanked: /data-yanked/i.test(attrs) });
  }
  return files;
}

/**
 * Picks the newest non-yanked pure-Python wheel (or the pinned version) of a project.
 * @throws VendorError naming what the index has when nothing fits.
 */
export async function resolveWheel(req: SimpleRequirement, indexUrl: string = DEFAULT_INDEX_URL, limits: IndexLimits = {}): Promise<IndexFile> {
  const files = await listIndexFiles(req.name, indexUrl, limits);
  const wheels = files.flatMap((f) => {
    const w = parseWheelName(f.filename);
    return w && !f.yanked && isPureTag(w) ? [{ f, version: w.version }] : [];
  });
  const candidates = req.version
    ? wheels.filter((w) => w.version === req.version)
    : wheels.filter((w) => !isPreRelease(w.version));
  candidates.sort((a, b) => compareVersions(b.version, a.version));
  const best = candidates[0];
  if (best) return best.f;
  const anyWheel = files.some((f) => f.filename.endsWith(".whl"));
  throw new VendorError(
    req.version && wheels.length > 0
      ? `"${req.name}" has no pure-Python wheel for version ${req.version} on the index`
      : anyWheel
        ? `"${req.name}" has only platform-specific (native) wheels; it cannot run in the WebAssembly sandbox — use a pure-Python alternative`
        : `"${req.name}" has no wheels on the index (source distributions cannot be installed); build a wheel elsewhere and run vendor add on the .whl file`,
  );
}

/**
 * Downloads an index file, at most `maxWheelBytes` of it, and checks its sha256 when the
 * index gave one.
 * @throws VendorError: HTTP error, unreachable, over the cap, hash mismatch.
 */
export async function downloadFile(file: IndexFile, limits: IndexLimits = {}): Promise<Uint8Array> {
  const res = await cappedGet({
    url: file.url,
    what: file.filename,
    maxBytes: limits.maxWheelBytes ?? DEFAULT_MAX_WHEEL_BYTES,
    timeoutMs: limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    sha256: true,
  });
  if (res.status < 200 || res.status > 299) throw new VendorError(`downloading ${file.filename} failed: HTTP ${res.status}`);
  if (file.sha256 && res.sha256 !== file.sha256.toLowerCase()) {
    throw new VendorError(`${file.filename} does not match the index's sha256 (expected ${file.sha256}, got ${res.sha256}); refusing it`);
  }
  return res.bytes;
}

/** Orders PEP 440-ish versions: release numbers first, a pre-release before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): { nums: number[]; pre: string } => {
    const m = /^v?(?:\d+!)?(\d+(?:\.\d+)*)(.*)$/i.exec(v.trim());
    return { nums: (m?.[1] ?? "0").split(".").map(Number), pre: (m?.[2] ?? "").toLowerCase() };
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.nums.length, pb.nums.length); i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  const rank = (s: string): number => (s === "" ? 2 : /^[.-]?post/.test(s) ? 3 : /^[.-]?dev/.test(s) ? 0 : 1);
  return rank(pa.pre) - rank(pb.pre) || pa.pre.localeCompare(pb.pre);
}

function isPreRelease(v: string): boolean {
  return /(a|b|rc|alpha|beta|c|dev|pre|preview)\d*/i.test(v.replace(/^[\d.]+/, "").replace(/^[.-]?post\d*/i, ""));
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

/** `new URL(href, base)`, or null for what is not a URL (an index's word is never trusted). */
function parseUrl(href: string, base: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}
