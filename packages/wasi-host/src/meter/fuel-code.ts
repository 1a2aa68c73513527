/**
 * The instruction sequences the meter inserts, pre-encoded once per module (fuel global
 * and observer function) and per function (the fuel local), so rewriting a body only
 * copies bytes.
 */
import { ByteWriter } from "../wasm-binary/byte-writer.js";
import { concatBytes } from "../wasm-binary/concat-bytes.js";
import type { MeterStats } from "./instrument-function.js";

/** Segment kinds (see instrument-function.ts for the scheme). */
export const SEG_PLAIN = 0;
/** A loop header: charged and checked on every iteration. */
export const SEG_LOOP = 1;
/** Code after an unconditional transfer, up to the next boundary: never runs. */
export const SEG_DEAD = 2;
/** The function entry segment: its charge is emitted last, by `entry`. */
export const SEG_ENTRY = 3;
/** A `catch`/`catch_all` handler: reloads the local from the global first. */
export const SEG_HANDLER = 4;

/**
 * Bulk memory operations (`memory.copy`, `memory.fill`, `memory.init`) cost one unit per
 * 2^BULK_MEMORY_SHIFT bytes of their length on top of their unit as an operator: one per
 * 32-bit word, about what the same bytes cost in time as ordinary metered code (V8 copies
 * some 8 GB/s and runs metered code at some 2.5 G units/s). Table operations (`table.copy`,
 * `table.fill`, `table.init`, `table.grow`) cost one unit per element.
 */
export const BULK_MEMORY_SHIFT = 2;

/** Pre-encoded fuel code for one module. */
export class FuelCode {
  /** `call $grow` replacing `memory.grow 0`. */
  readonly growCall: Uint8Array;
  /** Per function: `local.get $f global.set $fuel` (store the local). */
  store: Uint8Array = new Uint8Array(0);
  /** Per function: `global.get $fuel local.set $f` (reload the local). */
  reload: Uint8Array = new Uint8Array(0);
  private readonly tmp = new ByteWriter(64);
  private readonly gget: Uint8Array;
  private readonly gset: Uint8Array;
  private lget: Uint8Array = new Uint8Array(0);
  private lset: Uint8Array = new Uint8Array(0);
  private ltee: Uint8Array = new Uint8Array(0);
  private check: Uint8Array = new Uint8Array(0);
  private bulkMemory: Uint8Array = new Uint8Array(0);
  private bulkTable: Uint8Array = new Uint8Array(0);

  constructor(
    fuelGlobal: number,
    growFunction: number,
    private readonly stats: MeterStats,
  ) {
    this.gget = this.encode(0x23, fuelGlobal);
    this.gset = this.encode(0x24, fuelGlobal);
    this.growCall = this.encode(0x10, growFunction);
  }

  /**
   * Switches to the next function: `index` is its fuel local (i64), `lengthIndex` the
   * scratch i32 local that bulk-operation charges copy the length operand into.
   */
  useLocal(index: number, lengthIndex: number): void {
    this.lget = this.encode(0x20, index);
    this.lset = this.encode(0x21, index);
    this.ltee = this.encode(0x22, index);
    this.store = concatBytes([this.lget, this.gset]);
    this.reload = concatBytes([this.gget, this.lset]);
    // i64.const 0  i64.lt_s  if  (store)  unreachable  end — store first so the host
    // sees the overdrawn value in the global after the trap.
    this.check = concatBytes([Uint8Array.of(0x42, 0x00, 0x53, 0x04, 0x40), this.store, Uint8Array.of(0x00, 0x0b)]);
    // The length operand is on top of the stack: keep it there (local.tee $len) and
    // charge `len >> shift` from the fuel local, checking before the operation runs so
    // a bulk operation never executes on fuel the run does not have.
    const lenTee = this.encode(0x22, lengthIndex);
    const lenGet = this.encode(0x20, lengthIndex);
    const charge = (shift: number): Uint8Array =>
      concatBytes([
        lenTee,
        this.lget,
        lenGet,
        Uint8Array.of(0xad), // i64.extend_i32_u
        shift > 0 ? Uint8Array.of(0x42, shift, 0x88) : new Uint8Array(0), // i64.const shift  i64.shr_u
        Uint8Array.of(0x7d), // i64.sub
        this.ltee,
        this.check,
      ]);
    this.bulkMemory = charge(BULK_MEMORY_SHIFT);
    this.bulkTable = charge(0);
  }

  /** The length charge placed before a bulk memory (`memory.*`) or table (`table.*`) operation. */
  bulk(w: ByteWriter, memory: boolean): void {
    w.bytes(memory ? this.bulkMemory : this.bulkTable);
    this.stats.bulkSites++;
  }

  /**
   * In place of `br_if label` inside a segment: when taken, give back what the region
   * charged for the code the branch skips (filled in when the function is assembled, see
   * charge-regions.ts) and branch — one label further out, past the `if` this adds. Returns
   * where the amount goes.
   */
  refundBranch(w: ByteWriter, label: number): number {
    w.byte(0x04); // if
    w.byte(0x40); // (empty block type)
    w.bytes(this.lget);
    w.byte(0x42); // i64.const
    const at = w.length; // the amount: a hole filled by ChargeRegions.assemble
    w.byte(0x7c); // i64.add
    w.bytes(this.lset);
    w.byte(0x0c); // br
    w.u32(label + 1);
    w.byte(0x0b); // end
    this.stats.refundedBranches++;
    return at;
  }

  /** Function entry: load the local from the global, charge, and check if `check`. */
  entry(w: ByteWriter, cost: number, check: boolean): void {
    w.bytes(this.gget);
    if (cost > 0) this.cost(w, cost);
    if (check) {
      w.bytes(this.ltee);
      w.bytes(this.check);
      this.stats.checks++;
    } else w.bytes(this.lset);
  }

  /**
   * The prologue of a segment of `kind` that starts a region: the charge's amount is a
   * hole filled when the function is done (see charge-regions.ts). With
   * `charges` false the region can only ever cost 0 and no charge is written. Returns
   * where the amount goes, or -1.
   */
  segment(w: ByteWriter, kind: number, charges: boolean): number {
    let at = -1;
    switch (kind) {
      case SEG_PLAIN:
        if (!charges) return -1;
        w.bytes(this.lget);
        at = this.charge(w);
        w.bytes(this.lset);
        return at;
      case SEG_LOOP:
        w.bytes(this.lget);
        if (charges) {
          at = this.charge(w);
          w.bytes(this.ltee);
        }
        w.bytes(this.check);
        this.stats.checks++;
        return at;
      case SEG_HANDLER:
        // A callee may have consumed fuel before the exception reached us.
        w.bytes(this.gget);
        if (charges) at = this.charge(w);
        w.bytes(this.lset);
        return at;
      default: // SEG_DEAD: never runs, so nothing to charge.
        return -1;
    }
  }

  /** `i64.const <hole> i64.sub`; returns where the amount goes. */
  private charge(w: ByteWriter): number {
    w.byte(0x42); // i64.const
    const at = w.length; // the amount: a hole filled by ChargeRegions.assemble
    w.byte(0x7d); // i64.sub
    this.stats.charges++;
    return at;
  }

  private cost(w: ByteWriter, cost: number): void {
    w.byte(0x42); // i64.const
    w.sleb(cost);
    w.byte(0x7d); // i64.sub
    this.stats.charges++;
  }

  private encode(op: number, index: number): Uint8Array {
    const w = this.tmp;
    w.reset();
    w.byte(op);
    w.u32(index);
    return w.view().slice();
  }
}
