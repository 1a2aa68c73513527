/**
 * Resolving a package name to a pure-Python wheel on a PEP 503 / PEP 691 "simple"
 * package index (PyPI by default), and downloading it with its hash checked.
 */
import { createHash } from "node:crypto";
import { isPureTag, normalizeName, parseWheelName } from "./wheel.js";
import { VendorError } from "./vendor-error.js";

/** The default package index (PEP 503/691 simple API). */
export const DEFAULT_INDEX_URL = "https://pypi.org/simple/";

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

/** Lists a project's files from the index (JSON API when served, else the HTML page). */
export async function listIndexFiles(name: string, indexUrl: string = DEFAULT_INDEX_URL): Promise<IndexFile[]> {
  const pageUrl = new URL(`${normalizeName(name)}/`, indexUrl.endsWith("/") ? indexUrl : `${indexUrl}/`);
  let res: Response;
  try {
    res = await fetch(pageUrl, { headers: { Accept: "application/vnd.pypi.simple.v1+json, text/html;q=0.1" } });
  } catch (e) {
    throw new VendorError(`cannot reach the package index at ${pageUrl.origin} (${(e as Error).message}); check the network or pass indexUrl`, { cause: e });
  }
  if (res.status === 404) throw new VendorError(`package "${name}" was not found on ${indexUrl}; check the spelling`);
  if (!res.ok) throw new VendorError(`the package index answered ${res.status} for ${pageUrl.href}`);
  const type = res.headers.get("content-type") ?? "";
  const body = await res.text();
  const base = res.url || pageUrl.href;
  if (type.includes("json")) {
    const doc = JSON.parse(body) as { files?: Array<{ filename: string; url: string; hashes?: Record<string, string>; yanked?: unknown }> };
    return (doc.files ?? []).map((f) => ({
      filename: f.filename,
      url: new URL(f.url, base).href,
      sha256: f.hashes?.sha256 ?? null,
      yanked: Boolean(f.yanked),
    }));
  }
  const files: IndexFile[] = [];
  for (const m of body.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/gi)) {
    const attrs = m[1] ?? "";
    const href = /href\s*=\s*"([^"]*)"/i.exec(attrs)?.[1] ?? /href\s*=\s*'([^']*)'/i.exec(attrs)?.[1];
    if (!href) continue;
    const url = new URL(decodeEntities(href), base);
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
export async function resolveWheel(req: SimpleRequirement, indexUrl: string = DEFAULT_INDEX_URL): Promise<IndexFile> {
  const files = await listIndexFiles(req.name, indexUrl);
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

/** Downloads an index file and checks its sha256 when the index gave one. */
export async function downloadFile(file: IndexFile): Promise<Uint8Array> {
  const res = await fetch(file.url);
  if (!res.ok) throw new VendorError(`downloading ${file.filename} failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (file.sha256) {
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== file.sha256.toLowerCase()) {
      throw new VendorError(`${file.filename} does not match the index's sha256 (expected ${file.sha256}, got ${actual}); refusing it`);
    }
  }
  return bytes;
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
