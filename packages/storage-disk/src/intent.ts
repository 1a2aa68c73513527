import { createHash } from "node:crypto";
import { canonicalWorkspacePath, type SessionMetadata, SessionMetadataSchema } from "@llm-wasm-sandbox/core";

/*
 * The intent of a commit (`.commit/intent.json`), in one of two forms; see the
 * protocol in commit-log.ts.
 *
 * - v1 (a large commit): JSON text. It only ever appears by rename of a complete,
 *   fsynced file, so it is trusted as found; the staged files it names are
 *   durable before it is.
 * - v2 (a small commit): a self-contained binary record — the same fields plus
 *   the bytes of every file, of the record and of the metadata — closed by a
 *   SHA-256 of everything before it. It is written in place, in the same fsync
 *   round as the files it stages, so it may be found torn (cut short, or with
 *   blocks a power cut never wrote): the checksum tells. A complete one is
 *   enough to redo the commit without any staged file.
 *
 *     magic (8) | header length (u32 LE) | header JSON | file bytes… | record bytes | sha256 (32)
 *
 * The first byte of the magic is never `{`, so the two forms cannot be confused:
 * any prefix of a v2 intent, however short, is not a v1 one.
 */

/** What a commit changes, as its intent records it (both forms). */
export interface Intent {
  readonly removals: ReadonlyArray<{ readonly path: string; readonly type: "file" | "directory" }>;
  readonly mkdirs: readonly string[];
  readonly writes: ReadonlyArray<{ readonly path: string; readonly staged: string }>;
  readonly metadata: SessionMetadata;
  /** A record staged as `.commit/record`, to be renamed to `records/<name>`. */
  readonly record?: { readonly name: string } | undefined;
}

/** A v2 intent: the intent plus every byte the commit writes. */
export interface InlineIntent extends Intent {
  /** Contents of `writes`, index for index. */
  readonly data: readonly Uint8Array[];
  readonly recordData?: Uint8Array | undefined;
}

/** What reading `.commit/intent.json` found. */
export type FoundIntent = { readonly kind: "v1"; readonly intent: Intent } | { readonly kind: "v2"; readonly intent: InlineIntent } | { readonly kind: "torn" };

const MAGIC = Uint8Array.from([0x89, 0x4c, 0x53, 0x49, 0x4e, 0x54, 0x32, 0x0a]); // \x89 "LSINT2\n"
const LENGTH_BYTES = 4;
const DIGEST_BYTES = 32;
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

interface Header {
  readonly version: 2;
  readonly removals: Intent["removals"];
  readonly mkdirs: Intent["mkdirs"];
  readonly writes: ReadonlyArray<{ readonly path: string; readonly staged: string; readonly size: number }>;
  readonly metadata: SessionMetadata;
  readonly record?: { readonly name: string; readonly size: number } | undefined;
}

/** The bytes of a v2 intent (checksummed; the caller bounds its size: it hashes them on its own thread). */
export function encodeInlineIntent(intent: InlineIntent): Uint8Array {
  const header: Header = {
    version: 2,
    removals: intent.removals,
    mkdirs: intent.mkdirs,
    writes: intent.writes.map((w, i) => ({ path: w.path, staged: w.staged, size: (intent.data[i] as Uint8Array).byteLength })),
    metadata: intent.metadata,
    ...(intent.record && intent.recordData ? { record: { name: intent.record.name, size: intent.recordData.byteLength } } : {}),
  };
  const head = enc.encode(JSON.stringify(header));
  const parts = [MAGIC, u32(head.byteLength), head, ...intent.data, ...(intent.recordData ? [intent.recordData] : [])];
  const length = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(length + DIGEST_BYTES);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  out.set(createHash("sha256").update(out.subarray(0, length)).digest(), length);
  return out;
}

/**
 * Parses what `.commit/intent.json` holds. A v1 intent that does not parse throws
 * (it was renamed into place complete: it is damaged, not torn); a v2 intent that
 * is short, has the wrong magic, a bad checksum or an inconsistent header is `torn`.
 */
export function decodeIntent(bytes: Uint8Array): FoundIntent {
  if (bytes[0] === 0x7b) {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as Intent;
    return { kind: "v1", intent: { ...parsed, metadata: SessionMetadataSchema.parse(parsed.metadata) } };
  }
  const intent = decodeInline(bytes);
  return intent ? { kind: "v2", intent } : { kind: "torn" };
}

function decodeInline(bytes: Uint8Array): InlineIntent | null {
  const body = bytes.byteLength - DIGEST_BYTES;
  const fixed = MAGIC.byteLength + LENGTH_BYTES;
  if (body < fixed || !MAGIC.every((b, i) => bytes[i] === b)) return null;
  const digest = createHash("sha256").update(bytes.subarray(0, body)).digest();
  if (!digest.equals(bytes.subarray(body))) return null;
  const headLength = new DataView(bytes.buffer, bytes.byteOffset + MAGIC.byteLength, LENGTH_BYTES).getUint32(0, true);
  if (fixed + headLength > body) return null;
  let header: Header;
  try {
    header = JSON.parse(dec.decode(bytes.subarray(fixed, fixed + headLength))) as Header;
    if (header.version !== 2) return null;
    // Only paths a plan can hold: the intent is ours, but it is read back from disk.
    for (const p of [...header.removals.map((r) => r.path), ...header.mkdirs, ...header.writes.map((w) => w.path)]) if (canonicalWorkspacePath(p) !== p) return null;
    if (header.writes.some((w, i) => w.staged !== `s${i}`)) return null;
    if (header.record && !/^[0-9a-f]{64}$/.test(header.record.name)) return null;
  } catch {
    return null;
  }
  let at = fixed + headLength;
  const take = (size: number): Uint8Array | null => {
    if (!Number.isSafeInteger(size) || size < 0 || at + size > body) return null;
    at += size;
    return bytes.subarray(at - size, at);
  };
  const data: Uint8Array[] = [];
  for (const w of header.writes) {
    const d = take(w.size);
    if (!d) return null;
    data.push(d);
  }
  const recordData = header.record ? take(header.record.size) : undefined;
  if (recordData === null || at !== body) return null;
  const metadata = SessionMetadataSchema.safeParse(header.metadata);
  if (!metadata.success) return null;
  return {
    removals: header.removals,
    mkdirs: header.mkdirs,
    writes: header.writes.map((w) => ({ path: w.path, staged: w.staged })),
    metadata: metadata.data,
    ...(header.record ? { record: { name: header.record.name } } : {}),
    data,
    ...(recordData ? { recordData } : {}),
  };
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(LENGTH_BYTES);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}
