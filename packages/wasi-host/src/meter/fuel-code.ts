/**
 * The instruction sequences the meter inserts, pre-encoded once per module (fuel global
 * and observer function) and per function (the fuel local), so rewriting a body only
 * copies bytes.
 */
import { ByteWriter } from "./byte-writer.js";
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

  constructor(
    fuelGlobal: number,
    growFunction: number,
    private readonly stats: MeterStats,
  ) {
    this.gget = this.encode(0x23, fuelGlobal);
    this.gset = this.encode(0x24, fuelGlobal);
    this.growCall = this.encode(0x10, growFunction);
  }

  /** Switches to the fuel local of the next function. */
  useLocal(index: number): void {
    this.lget = this.encode(0x20, index);
    this.lset = this.encode(0x21, index);
    this.ltee = this.encode(0x22, index);
    this.store = concat(this.lget, this.gset);
    this.reload = concat(this.gget, this.lset);
    // i64.const 0  i64.lt_s  if  (store)  unreachable  end — store first so the host
    // sees the overdrawn value in the global after the trap.
    this.check = concat(Uint8Array.of(0x42, 0x00, 0x53, 0x04, 0x40), this.store, Uint8Array.of(0x00, 0x0b));
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

  /** The prologue of a segment of `kind` costing `cost`. */
  segment(w: ByteWriter, kind: number, cost: number): void {
    switch (kind) {
      case SEG_PLAIN:
        if (cost === 0) return;
        w.bytes(this.lget);
        this.cost(w, cost);
        w.bytes(this.lset);
        return;
      case SEG_LOOP:
        w.bytes(this.lget);
        if (cost > 0) {
          this.cost(w, cost);
          w.bytes(this.ltee);
        }
        w.bytes(this.check);
        this.stats.checks++;
        return;
      case SEG_HANDLER:
        // A callee may have consumed fuel before the exception reached us.
        w.bytes(this.gget);
        if (cost > 0) this.cost(w, cost);
        w.bytes(this.lset);
        return;
      default: // SEG_DEAD: never runs, so nothing to charge.
    }
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

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
