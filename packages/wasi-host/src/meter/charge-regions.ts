/**
 * Charges whose amount is known only after the code that carries them has been written:
 * a *region* is one charge that pays for several segments (its first one and the joins
 * merged into it, see instrument-function.ts "Joins charged ahead"), and a *refund* gives
 * back, on a taken forward branch, what the region charged for the code the branch skips.
 * Both are emitted as `i64.const` with a 5-byte (padded) LEB128 immediate and patched in
 * place once known: a refund when its target block ends, a region when the function ends.
 */
import type { ByteWriter } from "../wasm-binary/byte-writer.js";

/** Bytes of a padded immediate: signed LEB128 of up to 34 bits. */
export const PADDED_BYTES = 5;
const PADDED_LIMIT = 2 ** 33;

/** Appends a padded signed LEB128 immediate (patched later with `patchPadded`). */
export function writePadded(w: ByteWriter): number {
  const at = w.length;
  w.ensure(PADDED_BYTES);
  for (let i = 0; i < PADDED_BYTES - 1; i++) w.byte(0x80);
  w.byte(0x00);
  return at;
}

/** Writes `value` (0 ≤ value < 2^33) into the padded immediate at `at`. */
export function patchPadded(w: ByteWriter, at: number, value: number): void {
  if (!(value >= 0 && value < PADDED_LIMIT)) throw new RangeError(`fuel charge ${value} out of range`);
  const view = w.view();
  let v = value;
  for (let i = 0; i < PADDED_BYTES - 1; i++) {
    view[at + i] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  view[at + PADDED_BYTES - 1] = v; // < 0x40 for values < 2^34: the sign bit stays clear
}

/** Per-function bookkeeping of regions and refunds; reused across functions. */
export class ChargeRegions {
  private total: number[] = [];
  private site: number[] = [];
  private refundSite: number[] = [];
  private refundRegion: number[] = [];
  private refundPrefix: number[] = [];
  /** Refund ids waiting for the block at each depth to end. */
  private waiting: number[][] = [];

  /** Forgets everything (a new function). */
  reset(): void {
    this.total.length = 0;
    this.site.length = 0;
    this.refundSite.length = 0;
    this.refundRegion.length = 0;
    this.refundPrefix.length = 0;
    for (const w of this.waiting) w.length = 0;
  }

  /** A new region, charging nothing yet and without a site. */
  open(): number {
    this.total.push(0);
    this.site.push(-1);
    return this.total.length - 1;
  }

  /** Adds a segment's cost to its region. */
  add(region: number, cost: number): void {
    this.total[region]! += cost;
  }

  /** What the region charges so far. */
  totalOf(region: number): number {
    return this.total[region]!;
  }

  /** Where the region's padded immediate is (in the function body being written). */
  setSite(region: number, at: number): void {
    this.site[region] = at;
  }

  /**
   * A refund for a forward branch in `region`, taken after `prefix` of the region's charge
   * was spent, to the end of the block at `depth`. Returns its id.
   */
  refund(region: number, prefix: number, depth: number): number {
    const id = this.refundSite.length;
    this.refundSite.push(-1);
    this.refundRegion.push(region);
    this.refundPrefix.push(prefix);
    while (this.waiting.length <= depth) this.waiting.push([]);
    this.waiting[depth]!.push(id);
    return id;
  }

  /** Where the refund's padded immediate is. */
  setRefundSite(id: number, at: number): void {
    this.refundSite[id] = at;
  }

  /**
   * The block at `depth` ended: each branch to it skipped what its region charged between
   * the branch and here (everything the region holds now past the branch's prefix).
   */
  close(depth: number, body: ByteWriter): void {
    const ids = this.waiting[depth];
    if (ids === undefined) return;
    for (const id of ids) {
      const at = this.refundSite[id]!;
      if (at >= 0) patchPadded(body, at, this.total[this.refundRegion[id]!]! - this.refundPrefix[id]!);
    }
    ids.length = 0;
  }

  /** Writes every region's final charge into its site. */
  finish(body: ByteWriter): void {
    for (let region = 0; region < this.site.length; region++) {
      const at = this.site[region]!;
      if (at >= 0) patchPadded(body, at, this.total[region]!);
    }
  }
}
