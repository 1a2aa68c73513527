/**
 * Rewrites one function body: charges fuel per basic block and routes `memory.grow`
 * through the observer function.
 *
 * ## Scheme
 * The body is cut into segments (basic blocks). A segment ends right after an operator
 * that transfers control or is followed by a branch target; its cost is the number of
 * non-free operators it holds (see opcodes.ts), charged once, on entry.
 *
 * Fuel lives in a function-local i64 while the function runs (a register, so a charge
 * is `local.get $f i64.const cost i64.sub local.set $f`, no memory traffic). The local
 * is loaded from the exported global `__llm_fuel` at function entry, at `catch` /
 * `catch_all` (a callee may have consumed fuel before throwing) and after every call
 * whose segment goes on to read it (not when the next call or exit of the segment comes
 * first: the local would be dead, see segment-patches.ts); it is stored back before every
 * call, `return`, `return_call*`, `throw`, `rethrow`, `unreachable`, branch to the
 * function's own label, and the final `end` (unless it was already stored or reloaded
 * earlier in the same segment, so it cannot differ). So the
 * global is exact whenever control leaves the function by a normal path; after a trap
 * of the guest's own (division by zero, out-of-bounds) it may lag by the segments run
 * since the last store — fuel reported for such runs can be slightly low.
 *
 * Only at loop headers (and at the entry of functions that call anything) is the
 * new value checked: `local.tee $f i64.const 0 i64.lt_s if (store) unreachable end`.
 * Every non-terminating execution either iterates a loop (passing its header) or
 * recurses (passing a function entry: recursion needs a call, and a cycle through the
 * host needs a guest function that calls an import), so a budget overrun is caught
 * within one loop body or one function body of straight-line code, and the trap leaves
 * `__llm_fuel < 0`, which is how the host tells `out_of_fuel` from other traps.
 *
 * Segment boundaries:
 *   - function entry; after `loop` (its header is a branch target, charged per iteration);
 *   - after `if`, `else`, `catch`, `catch_all`, `delegate` (entered from elsewhere);
 *   - after `br_if` to a loop, to a label that carries values or out of the function, and
 *     after `br_on_null`, `br_on_non_null` (the rest runs only if not taken);
 *   - after `br`, `br_table`, `return`, `unreachable`, `throw`, `rethrow`, `return_call*`:
 *     the code up to the next boundary is dead, so it is not charged at all;
 *   - after `end` of an `if`, `try` or of a `block` that some branch targets.
 * Not boundaries, because control can only fall into them from the segment before, so
 * charging their operators with that segment gives the same total:
 *   - `block` and `try` entry; `end` of a `loop` and of a `block` no branch targets.
 *
 * Forward `br_if` (to a `block`, `if` or `try` label without values, inside the function)
 * does not end its segment either: the code after it is charged with the segment, on
 * entry, and the taken branch refunds what it skips — `br_if L` becomes
 * `if  local.get $f  i64.const skipped  i64.add  local.set $f  br L+1  end` (or stays
 * `br_if L` when it skips nothing that costs fuel). Every path
 * is charged exactly what it runs, as with a boundary, but the common not-taken path
 * (C's `if (err) goto fail;` compiles to such branches) pays no charge of its own: on
 * CPython's interpreter loop that is a large share of all charges. Backward branches (to
 * a loop) stay boundaries, since they are the ones usually taken.
 *
 * Joins charged ahead: the segment after the `end` of an `if` or of a targeted `block`
 * is charged by the charge that paid for the code where that `if`/`block` opened (its
 * *region*), not by a charge of its own, when every path through the block reaches its
 * end — no branch, `br_table`, `return`, `return_call*`, `throw` or `rethrow` inside goes
 * further out, no `delegate`, and it is neither a `try` nor inside one (a handler here
 * would resume after skipping it). Such a join runs exactly once for each time its
 * region's charge runs, unless a forward `br_if` of the region skips it: the refund of
 * a `br_if` is everything its region charged between the branch and the branch's target,
 * which is known when the target ends (and the region's own charge when the function
 * ends), so both are left as holes in the body and filled with minimal LEB128 amounts
 * when the function is done (see charge-regions.ts). On CPython this removes most of the charges after C's `if`
 * statements; every path is still charged exactly what it runs.
 *
 * Charging is eager (on segment entry, joins with their region), so a run that traps or
 * exits mid-segment is charged for the whole segment and the joins ahead of it, and an
 * exception from a callee leaves what the caller's frame charged ahead unrefunded.
 * Counts are deterministic: they depend only on the module and the path taken.
 *
 * Bulk operations (`memory.copy/fill/init`, `table.copy/fill/init/grow`) do work in
 * proportion to their length operand, so besides their unit as an operator they are
 * charged `length >> shift` at run time, just before they execute, followed by a check
 * (see fuel-code.ts `bulk`): a loop of 16 MiB copies runs out of fuel like the
 * equivalent loop of loads and stores would, and never past the budget.
 */
import type { ByteReader } from "../wasm-binary/byte-reader.js";
import { ByteWriter } from "../wasm-binary/byte-writer.js";
import { MeterError } from "./meter-error.js";
import * as fuelCode from "./fuel-code.js";
import { ChargeRegions } from "./charge-regions.js";
import { FRAME_BLOCK, FRAME_IF, FRAME_LOOP, FRAME_TRY, FrameStack } from "./frame-stack.js";
import { copySegment, type SegmentOutput, PATCH_BR_IF, PATCH_BULK_MEMORY, PATCH_BULK_TABLE, PATCH_CALL, PATCH_EXIT, PATCH_GROW, PATCH_STORE } from "./segment-patches.js";
import * as opcodes from "../wasm-binary/opcodes.js";

// Local bindings of the opcode tables and skippers: module-namespace imports can be
// accessor properties under some loaders (vitest's SSR transform), which would put a
// getter call on every operator of the hot loop. Case labels below are literal
// opcodes for the same reason (names in opcodes.ts `OP`).
const FC_IMM = opcodes.FC_IMM;
const FD_IMM = opcodes.FD_IMM;
const SINGLE_COST = opcodes.SINGLE_COST;
const SINGLE_IMM = opcodes.SINGLE_IMM;
const skipBlockType = opcodes.skipBlockType;
const skipImmediates = opcodes.skipImmediates;
const skipValType = opcodes.skipValType;
const FuelCode = fuelCode.FuelCode;
const SEG_PLAIN = fuelCode.SEG_PLAIN;
const SEG_LOOP = fuelCode.SEG_LOOP;
const SEG_DEAD = fuelCode.SEG_DEAD;
const SEG_ENTRY = fuelCode.SEG_ENTRY;
const SEG_HANDLER = fuelCode.SEG_HANDLER;

/** What the function rewriter needs to know about the module. */
export interface FunctionRewriteContext {
  /** Index of the fuel global (i64, mutable). */
  readonly fuelGlobal: number;
  /** Index of the added memory.grow observer function, `(i32) -> i32`. */
  readonly growFunction: number;
  /** Deepest block nesting accepted (MeterError beyond it). */
  readonly maxNestingDepth: number;
}

/** Counters from rewriting one or more functions (for benches and tests). */
export interface MeterStats {
  /** Function bodies rewritten. */
  functions: number;
  /** Segments charged. */
  charges: number;
  /** Fuel checks inserted (loop headers and function entries). */
  checks: number;
  /** `memory.grow` operators routed through the observer. */
  growSites: number;
  /** Call sites wrapped with a store/reload of the fuel global. */
  callSites: number;
  /** Bulk memory and table operations charged by their length. */
  bulkSites: number;
  /** Forward `br_if`s inside a segment, rewritten to refund what the taken branch skips (those whose refund is 0 stay a `br_if`). */
  refundedBranches: number;
  /** Segments after a block's end charged ahead by the charge before the block (no charge of their own). */
  mergedJoins: number;
}




/** V8's limit on the locals of one function (parameters included). */
const MAX_LOCALS = 50_000;
/** V8's limit on the size of one function body, in bytes (its locals included). */
const MAX_BODY_BYTES = 7_654_321;

/**
 * Rewrites function bodies. One instance serves a whole module; its buffers are reused
 * between functions so the hot loop does not allocate.
 */
export class FunctionRewriter {
  private readonly frames = new FrameStack();
  private readonly regions = new ChargeRegions();
  private patches: number[] = [];
  private readonly body = new ByteWriter(1 << 16);
  private readonly fuel: fuelCode.FuelCode;
  private readonly output: SegmentOutput;
  private readonly maxDepth: number;
  private functionIndex = 0;

  constructor(
    ctx: FunctionRewriteContext,
    readonly stats: MeterStats,
  ) {
    this.fuel = new FuelCode(ctx.fuelGlobal, ctx.growFunction, stats);
    this.maxDepth = ctx.maxNestingDepth;
    this.output = { body: this.body, fuel: this.fuel, regions: this.regions, stats };
  }

  /**
   * Rewrites one body read from `r` (which must span exactly the body) into `out`.
   * `paramCount` is the number of parameters of the function's type (the fuel local
   * goes after params and declared locals).
   */
  rewrite(r: ByteReader, functionIndex: number, paramCount: number, out: ByteWriter): void {
    const buf = r.buf;
    const end = r.end;
    const body = this.body;
    body.reset();
    this.patches.length = 0;
    this.functionIndex = functionIndex;

    // Locals: the function's own groups, then one i64 for the fuel and, when the body
    // has bulk operations, one i32 for their length (declared once the body is scanned).
    const groups = r.u32();
    let localCount = paramCount;
    const groupsStart = r.pos;
    for (let i = 0; i < groups; i++) {
      localCount += r.u32();
      skipValType(r);
    }
    const groupsEnd = r.pos;
    if (localCount + 2 > MAX_LOCALS) throw new MeterError(`the function declares ${localCount} locals; at most ${MAX_LOCALS - 2} can be metered`, { offset: r.pos, functionIndex });
    this.fuel.useLocal(localCount, localCount + 1);
    let hasBulk = false;

    let depth = 0;
    const frames = this.frames;
    frames.reset();
    const regions = this.regions;
    regions.reset();
    let segStart = r.pos;
    let segCost = 0;
    let segKind = SEG_ENTRY;
    let segRegion = regions.open(); // the entry's region, charged by the entry prologue
    let segFresh = false; // the segment starts its region (and writes the charge)
    let segOpened = false; // a block, if or try opened in the segment
    let tryDepth = 0;
    let closing = -1; // depth of the block whose end ended the segment
    let mergeInto = -1; // region the segment after that end joins
    let hasCalls = false;
    let finished = false;
    const patches = this.patches;

    while (r.pos < end) {
      const opAt = r.pos;
      const op = buf[r.pos++]!;
      let next = -1; // segment kind after this op; -1 = not a boundary
      switch (op) {
        case 0x02: // block
        case 0x06: { // try
          const empty = buf[r.pos] === 0x40;
          skipBlockType(r);
          this.push(++depth, opAt);
          frames.push(depth, op === 0x02 ? FRAME_BLOCK : FRAME_TRY, empty, segRegion, op === 0x06 || tryDepth > 0);
          if (op === 0x06) tryDepth++;
          segOpened = true;
          break;
        }
        case 0x03: // loop
          skipBlockType(r);
          this.push(++depth, opAt);
          frames.push(depth, FRAME_LOOP, false, -1, true);
          next = SEG_LOOP;
          break;
        case 0x04: { // if
          const empty = buf[r.pos] === 0x40;
          skipBlockType(r);
          segCost++;
          this.push(++depth, opAt);
          frames.push(depth, FRAME_IF, empty, segRegion, tryDepth > 0);
          segOpened = true;
          next = SEG_PLAIN;
          break;
        }
        case 0x05: // else
          next = SEG_PLAIN;
          break;
        case 0x19: // catch_all
          next = SEG_HANDLER;
          break;
        case 0x07: // catch
          r.skipLeb(5);
          next = SEG_HANDLER;
          break;
        case 0x18: // delegate
          // Ends a try: its exceptions go to an outer handler or the caller, so treat it
          // as an exit of every enclosing block.
          r.skipLeb(5);
          frames.exit(depth);
          frames.close(depth);
          tryDepth--;
          closing = depth--;
          next = SEG_PLAIN;
          break;
        case 0x0b: { // end
          if (depth === 0) {
            patches.push(opAt, r.pos, PATCH_EXIT, 0, 0);
            finished = true;
            break;
          }
          const kind = frames.kind[depth]!;
          const targeted = frames.targeted[depth]!;
          const mergeable = frames.close(depth);
          if (kind === FRAME_TRY) tryDepth--;
          closing = depth--;
          if (kind === FRAME_LOOP || (kind === FRAME_BLOCK && targeted === 0)) break;
          if (mergeable) mergeInto = frames.owner[closing]!; // see "Joins charged ahead"
          next = SEG_PLAIN;
          break;
        }
        case 0x0c: // br
          if (frames.target(depth, r.u32())) patches.push(opAt, r.pos, PATCH_EXIT, 0, 0);
          segCost++;
          next = SEG_DEAD;
          break;
        case 0x0d: { // br_if
          const label = r.u32();
          segCost++;
          if (frames.target(depth, label)) {
            patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
            next = SEG_PLAIN;
          } else if (frames.kind[depth - label] === FRAME_LOOP || frames.empty[depth - label] === 0) {
            next = SEG_PLAIN;
          } else if (segRegion >= 0) {
            // Forward: see "Forward br_if". The refund is what the region charged past
            // this point by the time the target ends.
            const id = regions.refund(segRegion, regions.totalOf(segRegion) + segCost, depth - label);
            patches.push(opAt, r.pos, PATCH_BR_IF, id, label);
          }
          break;
        }
        case 0xd4: // br_on_null
        case 0xd5: // br_on_non_null
          if (frames.target(depth, r.u32())) patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          segCost++;
          next = SEG_PLAIN;
          break;
        case 0x0e: { // br_table
          const n = r.u32();
          let leaves = false;
          for (let i = 0; i <= n; i++) leaves = frames.target(depth, r.u32()) || leaves;
          if (leaves) patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          segCost++;
          next = SEG_DEAD;
          break;
        }
        case 0x0f: // return
        case 0x00: // unreachable (a trap ends the run: not an exit the charges care about)
          if (op === 0x0f) frames.exit(depth);
          patches.push(opAt, r.pos, PATCH_EXIT, 0, 0);
          next = SEG_DEAD;
          break;
        case 0x08: // throw
        case 0x09: // rethrow
          r.skipLeb(5);
          frames.exit(depth);
          patches.push(opAt, r.pos, PATCH_EXIT, 0, 0);
          segCost++;
          next = SEG_DEAD;
          break;
        case 0x10: // call
        case 0x14: // call_ref
          r.skipLeb(5);
          patches.push(opAt, r.pos, PATCH_CALL, 0, 0);
          segCost++;
          hasCalls = true;
          break;
        case 0x11: // call_indirect
          r.skipLeb(5);
          r.skipLeb(5);
          patches.push(opAt, r.pos, PATCH_CALL, 0, 0);
          segCost++;
          hasCalls = true;
          break;
        case 0x12: // return_call
        case 0x15: // return_call_ref
          r.skipLeb(5);
          frames.exit(depth);
          patches.push(opAt, r.pos, PATCH_EXIT, 0, 0);
          segCost++;
          hasCalls = true;
          next = SEG_DEAD;
          break;
        case 0x13: // return_call_indirect
          r.skipLeb(5);
          r.skipLeb(5);
          frames.exit(depth);
          patches.push(opAt, r.pos, PATCH_EXIT, 0, 0);
          segCost++;
          hasCalls = true;
          next = SEG_DEAD;
          break;
        case 0x40: // memory_grow
          if (r.u32() === 0) patches.push(opAt, r.pos, PATCH_GROW, 0, 0);
          segCost++;
          break;
        case 0xfc: { // 0xFC prefix
          const sub = r.u32();
          const imm = sub < FC_IMM.length ? FC_IMM[sub]! : 0;
          if (!skipImmediates(r, imm)) unknown(`0xfc ${sub}`, opAt, functionIndex);
          const bulk = BULK_KIND[sub];
          if (bulk !== undefined && bulk !== 0) {
            patches.push(opAt, opAt, bulk === 1 ? PATCH_BULK_MEMORY : PATCH_BULK_TABLE, 0, 0);
            hasBulk = true;
          }
          segCost++;
          break;
        }
        case 0xfd: { // 0xFD prefix (SIMD)
          const sub = r.u32();
          const imm = sub < FD_IMM.length ? FD_IMM[sub]! : 0;
          if (!skipImmediates(r, imm)) unknown(`0xfd ${sub}`, opAt, functionIndex);
          segCost++;
          break;
        }
        default:
          if (!skipImmediates(r, SINGLE_IMM[op]!)) unknown(`0x${op.toString(16).padStart(2, "0")}`, opAt, functionIndex);
          segCost += SINGLE_COST[op]!;
      }
      if (finished) break;
      if (next >= 0) {
        this.emit(buf, segStart, r.pos, segKind, segCost, segRegion, segFresh, segOpened);
        if (closing >= 0) regions.close(closing);
        segStart = r.pos;
        segCost = 0;
        segKind = next;
        segOpened = false;
        if (next === SEG_DEAD) {
          segRegion = -1;
          segFresh = false;
        } else if (mergeInto >= 0) {
          segRegion = mergeInto;
          segFresh = false;
          this.stats.mergedJoins++;
        } else {
          segRegion = regions.open();
          segFresh = true;
        }
      }
      closing = -1;
      mergeInto = -1;
    }
    if (!finished || r.pos !== end) {
      throw new MeterError(finished ? "function body has bytes after its final end" : "function body ends without end", {
        offset: r.pos,
        functionIndex,
      });
    }
    this.emit(buf, segStart, r.pos, segKind, segCost, segRegion, segFresh, segOpened);

    // Locals and the entry prologue are placed last because only now do we know whether
    // the function has bulk operations (the length local) and calls anything (the
    // recursion check).
    const outStart = out.length;
    out.u32(groups + (hasBulk ? 2 : 1));
    out.bytes(buf, groupsStart, groupsEnd);
    out.bytes(LOCAL_I64);
    if (hasBulk) out.bytes(LOCAL_I32);
    this.fuel.entry(out, regions.totalOf(0), hasCalls);
    regions.assemble(body.view(), out);
    // A body the engine would accept may outgrow its limit once metered (a forward
    // br_if of 2 bytes can become a refund of 13): refuse it here, as the meter's own
    // error, rather than leave the engine to reject the metered module.
    if (out.length - outStart > MAX_BODY_BYTES) {
      throw new MeterError(`the function would be ${out.length - outStart} bytes once metered; the engine accepts at most ${MAX_BODY_BYTES}`, { offset: groupsStart, functionIndex });
    }
    this.stats.functions++;
  }

  /** Checks the nesting limit for a frame opening at `depth`. */
  private push(depth: number, at: number): void {
    if (depth > this.maxDepth) {
      throw new MeterError(`blocks nest deeper than ${this.maxDepth} levels`, { offset: at, functionIndex: this.functionIndex, limitExceeded: true });
    }
  }

  /**
   * Writes one segment: the charge of its region when it starts one (the amount is
   * filled in later), then its code. The entry region's charge is written by `entry`.
   */
  private emit(buf: Uint8Array, start: number, end: number, kind: number, cost: number, region: number, fresh: boolean, opened: boolean): void {
    if (region >= 0) this.regions.add(region, cost);
    if (fresh) {
      const at = this.fuel.segment(this.body, kind, cost > 0 || opened);
      if (at >= 0) this.regions.setSite(region, at);
    }
    copySegment(this.patches, buf, start, end, this.output);
  }

}

/** A locals group declaring one i64 (the fuel local). */
const LOCAL_I64 = Uint8Array.of(0x01, 0x7e);
/** A locals group declaring one i32 (the bulk-operation length local). */
const LOCAL_I32 = Uint8Array.of(0x01, 0x7f);

/**
 * 0xFC sub-opcodes whose cost grows with their length operand (on top of the stack):
 * 1 = bytes (memory.init 8, memory.copy 10, memory.fill 11), 2 = table elements
 * (table.init 12, table.copy 14, table.grow 15, table.fill 17).
 */
const BULK_KIND: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 2, 0, 2, 2, 0, 2];

function unknown(opcode: string, offset: number, functionIndex: number): never {
  throw new MeterError(`unknown or unsupported opcode ${opcode}`, { offset, functionIndex });
}
