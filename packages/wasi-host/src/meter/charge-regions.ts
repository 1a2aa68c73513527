/**
 * Charges whose amount is known only after the code that carries them has been written:
 * a *region* is one charge that pays for several segments (its first one and the joins
 * merged into it, see instrument-function.ts "Joins charged ahead"), and a *refund* gives
 * back, on a taken forward branch, what the region charged for the code the branch skips.
 * Both are written as `i64.const` without its immediate: the body records a *hole* there,
 * and `assemble` copies the body out with each hole filled by the amount's minimal signed
 * LEB128 once every amount is known (a refund's when its target block ends, a region's
 * when the function ends). Nearly all amounts take one or two bytes. A refund that turns
 * out to be 0 gives nothing back, so its whole `if … br … end` is written as the plain
 * `br_if` it replaced: the same branch, the same fuel.
 */
import type { ByteWriter } from "../wasm-binary/byte-writer.js";

/** Per-function bookkeeping of regions, refunds and the holes their amounts fill; reused across functions. */
export class ChargeRegions {
  private total: number[] = [];
  private refundRegion: number[] = [];
  private refundPrefix: number[] = [];
  /** What each refund gives back (set when its target block ends). */
  private refundAmount: number[] = [];
  /** Each refund's code in the body: where its `if` starts and its `end` ends, and the `br_if` label it replaced. */
  private refundStart: number[] = [];
  private refundEnd: number[] = [];
  private refundLabel: number[] = [];
  /** Refund ids waiting for the block at each depth to end. */
  private waiting: number[][] = [];
  /** Holes in body order: where each is, and whose amount fills it (a region id, or -1 - a refund id). */
  private holeAt: number[] = [];
  private holeOf: number[] = [];

  /** Forgets everything (a new function). */
  reset(): void {
    this.total.length = 0;
    this.refundRegion.length = 0;
    this.refundPrefix.length = 0;
    this.refundAmount.length = 0;
    this.refundStart.length = 0;
    this.refundEnd.length = 0;
    this.refundLabel.length = 0;
    this.holeAt.length = 0;
    this.holeOf.length = 0;
    for (const w of this.waiting) w.length = 0;
  }

  /** A new region, charging nothing yet. */
  open(): number {
    this.total.push(0);
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

  /** The region's charge goes at `at` in the body being written (after everything recorded so far). */
  setSite(region: number, at: number): void {
    this.holeAt.push(at);
    this.holeOf.push(region);
  }

  /**
   * A refund for a forward branch in `region`, taken after `prefix` of the region's charge
   * was spent, to the end of the block at `depth`. Returns its id.
   */
  refund(region: number, prefix: number, depth: number): number {
    const id = this.refundRegion.length;
    this.refundRegion.push(region);
    this.refundPrefix.push(prefix);
    this.refundAmount.push(0);
    this.refundStart.push(0);
    this.refundEnd.push(0);
    this.refundLabel.push(0);
    while (this.waiting.length <= depth) this.waiting.push([]);
    this.waiting[depth]!.push(id);
    return id;
  }

  /**
   * The refund's code is `[start, end)` of the body being written (after everything
   * recorded so far), in place of `br_if label`; its amount goes at `at`.
   */
  setRefundSite(id: number, start: number, at: number, end: number, label: number): void {
    this.refundStart[id] = start;
    this.refundEnd[id] = end;
    this.refundLabel[id] = label;
    this.holeAt.push(at);
    this.holeOf.push(-1 - id);
  }

  /**
   * The block at `depth` ended: each branch to it skipped what its region charged between
   * the branch and here (everything the region holds now past the branch's prefix).
   */
  close(depth: number): void {
    const ids = this.waiting[depth];
    if (ids === undefined) return;
    for (const id of ids) this.refundAmount[id] = this.total[this.refundRegion[id]!]! - this.refundPrefix[id]!;
    ids.length = 0;
  }

  /**
   * Appends `body` (the function's code, written with holes) to `out`, each hole filled
   * with its amount: regions' final charges, refunds' amounts — a refund of 0 becomes its
   * `br_if` again. One pass over the body.
   */
  assemble(body: Uint8Array, out: ByteWriter): void {
    const holeAt = this.holeAt;
    const holeOf = this.holeOf;
    let from = 0;
    for (let i = 0; i < holeAt.length; i++) {
      const at = holeAt[i]!;
      const of = holeOf[i]!;
      if (of >= 0) {
        out.bytes(body, from, at);
        out.sleb(this.total[of]!);
        from = at;
        continue;
      }
      const id = -1 - of;
      const amount = this.refundAmount[id]!;
      if (amount > 0) {
        out.bytes(body, from, at);
        out.sleb(amount);
        from = at;
      } else {
        out.bytes(body, from, this.refundStart[id]!);
        out.byte(0x0d); // br_if
        out.u32(this.refundLabel[id]!);
        from = this.refundEnd[id]!;
      }
    }
    out.bytes(body, from, body.length);
  }
}
