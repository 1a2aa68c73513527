/**
 * How the snapshot travels between threads. The snapshot run's driver writes it into a
 * SharedArrayBuffer the host allocated (a driver can only return an exit code); the host
 * copies it into a right-sized SharedArrayBuffer and hands that to every later run, where
 * workers read it in place.
 *
 * Layout of the transfer buffer: u32 header length, UTF-8 JSON header, then page data.
 */
import type { MemoryImage, PageRun } from "./memory-image.js";

/** `ctx.data` of the driver. */
export type RubyDriverData =
  | {
      readonly mode: "snapshot";
      /** Ruby source evaluated after `ruby-init` (the sandbox's runtime helpers). */
      readonly bootstrap: string;
      /** Where to write the snapshot. */
      readonly out: SharedArrayBuffer;
    }
  | {
      readonly mode: "run";
      readonly image: MemoryImage;
      /** Ruby source evaluated in the restored VM (ends the guest with `exit!`). */
      readonly script: string;
    };

/** Bytes allocated for a snapshot transfer (lazily committed; ruby-init dirties ~7 MiB). */
export const TRANSFER_BYTES = 128 * 1024 * 1024;

interface Header {
  readonly byteLength: number;
  readonly runs: readonly PageRun[];
  readonly globals: ReadonlyArray<readonly [string, "i32" | "i64", string]>;
  readonly dataBytes: number;
}

/** Writes `image` into `out` (driver side). */
export function writeSnapshot(out: SharedArrayBuffer, image: MemoryImage): void {
  const header: Header = {
    byteLength: image.byteLength,
    runs: image.runs,
    globals: Object.entries(image.globals).map(([name, v]) => [name, typeof v === "bigint" ? "i64" : "i32", String(v)] as const),
    dataBytes: image.data.byteLength,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = 4 + json.byteLength;
  if (start + image.data.byteLength > out.byteLength) {
    throw new RangeError(`the Ruby snapshot (${image.data.byteLength} bytes) does not fit its ${out.byteLength}-byte transfer buffer`);
  }
  new DataView(out).setUint32(0, json.byteLength, true);
  const bytes = new Uint8Array(out);
  bytes.set(json, 4);
  bytes.set(new Uint8Array(image.data), start);
}

/** Reads a snapshot written by `writeSnapshot` into a right-sized image (host side). */
export function readSnapshot(out: SharedArrayBuffer): MemoryImage {
  const jsonLength = new DataView(out).getUint32(0, true);
  if (jsonLength === 0) throw new Error("the Ruby snapshot run wrote no snapshot");
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(out, 4, jsonLength).slice())) as Header;
  const data = new SharedArrayBuffer(header.dataBytes);
  const start = 4 + jsonLength;
  new Uint8Array(data).set(new Uint8Array(out, start, header.dataBytes));
  const globals: Record<string, number | bigint> = {};
  for (const [name, type, value] of header.globals) globals[name] = type === "i64" ? BigInt(value) : Number(value);
  return { byteLength: header.byteLength, runs: header.runs, data, globals };
}
