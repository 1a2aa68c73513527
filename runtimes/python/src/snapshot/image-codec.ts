/**
 * The on-disk form of an interpreter snapshot (wasi-host's MemoryImage): magic, SHA-256 of
 * the payload, then the payload — a u32 header length, a UTF-8 JSON header (memory size,
 * page runs, mutable globals) and the page bytes back to back. A file whose digest or
 * shape does not check out decodes to null and is never restored.
 */
import { createHash } from "node:crypto";
import { PAGE_BYTES, type MemoryImage, type PageRun } from "@llm-wasm-sandbox/wasi-host/driver";

const MAGIC = new TextEncoder().encode("LLMPYSNAP\u0002");
const DIGEST_BYTES = 32;

interface Header {
  readonly byteLength: number;
  readonly runs: readonly PageRun[];
  readonly globals: readonly (readonly [string, "i32" | "i64", string])[];
  readonly dataBytes: number;
}

/** Encodes `image` for the disk cache. */
export function encodeImage(image: MemoryImage): Uint8Array {
  const header: Header = {
    byteLength: image.byteLength,
    runs: image.runs,
    globals: Object.entries(image.globals).map(([name, v]) => [name, typeof v === "bigint" ? "i64" : "i32", String(v)] as const),
    dataBytes: image.data.byteLength,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const payload = new Uint8Array(4 + json.length + image.data.byteLength);
  new DataView(payload.buffer).setUint32(0, json.length, true);
  payload.set(json, 4);
  payload.set(new Uint8Array(image.data), 4 + json.length);
  const out = new Uint8Array(MAGIC.length + DIGEST_BYTES + payload.length);
  out.set(MAGIC, 0);
  out.set(createHash("sha256").update(payload).digest(), MAGIC.length);
  out.set(payload, MAGIC.length + DIGEST_BYTES);
  return out;
}

/** The image of a disk entry (page bytes in a new SharedArrayBuffer), or null when it is not intact. */
export function decodeImage(bytes: Uint8Array): MemoryImage | null {
  if (bytes.length < MAGIC.length + DIGEST_BYTES + 4 || !MAGIC.every((b, i) => bytes[i] === b)) return null;
  const payload = bytes.subarray(MAGIC.length + DIGEST_BYTES);
  if (!createHash("sha256").update(payload).digest().equals(bytes.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES))) return null;
  try {
    const jsonLength = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
    if (jsonLength === 0 || 4 + jsonLength > payload.length) return null;
    const header = JSON.parse(new TextDecoder().decode(payload.subarray(4, 4 + jsonLength))) as Header;
    const start = 4 + jsonLength;
    const covered = header.runs.reduce((n, r) => n + (r.end - r.start), 0);
    if (header.dataBytes !== covered || start + header.dataBytes !== payload.length || header.byteLength % PAGE_BYTES !== 0) return null;
    const data = new SharedArrayBuffer(header.dataBytes);
    new Uint8Array(data).set(payload.subarray(start));
    const globals: Record<string, number | bigint> = {};
    for (const [name, type, value] of header.globals) globals[name] = type === "i64" ? BigInt(value) : Number(value);
    return { byteLength: header.byteLength, runs: header.runs, data, globals };
  } catch {
    return null;
  }
}
