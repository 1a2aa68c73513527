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
 * `catch_all` (a callee may have consumed fuel before throwing) and after every call;
 * it is stored back before every call, `return`, `return_call*`, `throw`, `rethrow`,
 * `unreachable`, branch to the function's own label, and the final `end` (unless it
 * was already stored or reloaded earlier in the same segment, so it cannot differ). So the
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
 * `if  local.get $f  i64.const skipped  i64.add  local.set $f  br L+1  end`. Every path
 * is charged exactly what it runs, as with a boundary, but the common not-taken path
 * (C's `if (err) goto fail;` compiles to such branches) pays no charge of its own: on
 * CPython's interpreter loop that is a large share of all charges. Backward branches (to
 * a loop) stay boundaries, since they are the ones usually taken.
 * Charging is eager (on segment entry), so a run that traps or exits mid-segment is
 * charged for the whole segment. Counts are deterministic: they depend only on the
 * module and the path taken.
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
  /** Forward `br_if`s inside a segment, rewritten to refund what the taken branch skips. */
  refundedBranches: number;
}


const FRAME_FUNC = 0;
const FRAME_BLOCK = 1;
const FRAME_LOOP = 2;
const FRAME_IF = 3;
const FRAME_TRY = 4;

/** Numbers per recorded patch: at, after, kind, and two kind-specific values. */
const PATCH_FIELDS = 5;
/** Patch kinds applied while copying a segment. */
const PATCH_GROW = 0; // replace `memory.grow 0` by `call $grow`
const PATCH_CALL = 1; // store fuel before, reload after
const PATCH_STORE = 2; // store fuel before (control leaves the function)
const PATCH_BULK_MEMORY = 3; // charge the length operand (bytes) before the operation
const PATCH_BULK_TABLE = 4; // charge the length operand (elements) before the operation
const PATCH_BR_IF = 5; // forward br_if inside a segment: refund the rest of the segment when taken

/** V8's limit on the locals of one function (parameters included). */
const MAX_LOCALS = 50_000;

/**
 * Rewrites function bodies. One instance serves a whole module; its buffers are reused
 * between functions so the hot loop does not allocate.
 */
export class FunctionRewriter {
  private frameKind = new Uint8Array(256);
  private frameTargeted = new Uint8Array(256);
  /** 1 when the frame's block type is empty (a branch to it carries no values). */
  private frameEmpty = new Uint8Array(256);
  private patches: number[] = [];
  private readonly body = new ByteWriter(1 << 16);
  private readonly fuel: fuelCode.FuelCode;
  private readonly maxDepth: number;
  private functionIndex = 0;

  constructor(
    ctx: FunctionRewriteContext,
    readonly stats: MeterStats,
  ) {
    this.fuel = new FuelCode(ctx.fuelGlobal, ctx.growFunction, stats);
    this.maxDepth = ctx.maxNestingDepth;
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
    this.frameKind[0] = FRAME_FUNC;
    this.frameTargeted[0] = 0;
    this.frameEmpty[0] = 0;
    let segStart = r.pos;
    let segCost = 0;
    let segKind = SEG_ENTRY;
    let entryCost = 0;
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
          this.push(++depth, op === 0x02 ? FRAME_BLOCK : FRAME_TRY, opAt, empty);
          break;
        }
        case 0x03: // loop
          skipBlockType(r);
          this.push(++depth, FRAME_LOOP, opAt, false);
          next = SEG_LOOP;
          break;
        case 0x04: { // if
          const empty = buf[r.pos] === 0x40;
          skipBlockType(r);
          segCost++;
          this.push(++depth, FRAME_IF, opAt, empty);
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
          r.skipLeb(5);
          depth--;
          next = SEG_PLAIN;
          break;
        case 0x0b: { // end
          if (depth === 0) {
            patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
            finished = true;
            break;
          }
          const kind = this.frameKind[depth]!;
          const targeted = this.frameTargeted[depth]!;
          depth--;
          if (kind === FRAME_LOOP || (kind === FRAME_BLOCK && targeted === 0)) break;
          next = SEG_PLAIN;
          break;
        }
        case 0x0c: // br
          if (this.target(depth, r.u32())) patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          segCost++;
          next = SEG_DEAD;
          break;
        case 0x0d: { // br_if
          const label = r.u32();
          segCost++;
          if (this.target(depth, label)) {
            patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
            next = SEG_PLAIN;
          } else if (this.frameKind[depth - label] === FRAME_LOOP || this.frameEmpty[depth - label] === 0) {
            next = SEG_PLAIN;
          } else {
            patches.push(opAt, r.pos, PATCH_BR_IF, segCost, label); // forward: see "Forward br_if"
          }
          break;
        }
        case 0xd4: // br_on_null
        case 0xd5: // br_on_non_null
          if (this.target(depth, r.u32())) patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          segCost++;
          next = SEG_PLAIN;
          break;
        case 0x0e: { // br_table
          const n = r.u32();
          let leaves = false;
          for (let i = 0; i <= n; i++) leaves = this.target(depth, r.u32()) || leaves;
          if (leaves) patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          segCost++;
          next = SEG_DEAD;
          break;
        }
        case 0x0f: // return
        case 0x00: // unreachable
          patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          next = SEG_DEAD;
          break;
        case 0x08: // throw
        case 0x09: // rethrow
          r.skipLeb(5);
          patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
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
          patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
          segCost++;
          hasCalls = true;
          next = SEG_DEAD;
          break;
        case 0x13: // return_call_indirect
          r.skipLeb(5);
          r.skipLeb(5);
          patches.push(opAt, r.pos, PATCH_STORE, 0, 0);
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
        if (segKind === SEG_ENTRY) entryCost = segCost;
        else this.fuel.segment(body, segKind, segCost);
        this.copy(buf, segStart, r.pos, segKind === SEG_DEAD ? -1 : segCost);
        segStart = r.pos;
        segCost = 0;
        segKind = next;
      }
    }
    if (!finished || r.pos !== end) {
      throw new MeterError(finished ? "function body has bytes after its final end" : "function body ends without end", {
        offset: r.pos,
        functionIndex,
      });
    }
    if (segKind === SEG_ENTRY) entryCost = segCost;
    else this.fuel.segment(body, segKind, segCost);
    this.copy(buf, segStart, r.pos, segKind === SEG_DEAD ? -1 : segCost);

    // Locals and the entry prologue are placed last because only now do we know whether
    // the function has bulk operations (the length local) and calls anything (the
    // recursion check).
    out.u32(groups + (hasBulk ? 2 : 1));
    out.bytes(buf, groupsStart, groupsEnd);
    out.bytes(LOCAL_I64);
    if (hasBulk) out.bytes(LOCAL_I32);
    this.fuel.entry(out, entryCost, hasCalls);
    out.bytes(body.view());
    this.stats.functions++;
  }

  private push(depth: number, kind: number, at: number, empty: boolean): void {
    if (depth > this.maxDepth) {
      throw new MeterError(`blocks nest deeper than ${this.maxDepth} levels`, { offset: at, functionIndex: this.functionIndex, limitExceeded: true });
    }
    if (depth >= this.frameKind.length) {
      const k = new Uint8Array(this.frameKind.length * 2);
      k.set(this.frameKind);
      this.frameKind = k;
      const t = new Uint8Array(this.frameTargeted.length * 2);
      t.set(this.frameTargeted);
      this.frameTargeted = t;
      const e = new Uint8Array(this.frameEmpty.length * 2);
      e.set(this.frameEmpty);
      this.frameEmpty = e;
    }
    this.frameKind[depth] = kind;
    this.frameTargeted[depth] = 0;
    this.frameEmpty[depth] = empty ? 1 : 0;
  }

  /** Marks a branch target; true when the branch leaves the function (a return). */
  private target(depth: number, label: number): boolean {
    if (label < depth) {
      this.frameTargeted[depth - label] = 1;
      return false;
    }
    return true;
  }

  /**
   * Copies `buf[start, end)` into the body, applying the recorded patches. `charged` is
   * what the segment's entry charged (-1: dead code, charged nothing).
   */
  private copy(buf: Uint8Array, start: number, end: number, charged: number): void {
    const patches = this.patches;
    const body = this.body;
    let from = start;
    // Charges happen only at segment starts, so once the local has been stored or
    // reloaded inside a segment it equals the global until the segment ends: a second
    // store (`call f; call g`, or a call then `return`) would write the same value.
    let synced = false;
    for (let i = 0; i < patches.length; i += PATCH_FIELDS) {
      const at = patches[i]!;
      const after = patches[i + 1]!;
      body.bytes(buf, from, at);
      switch (patches[i + 2]) {
        case PATCH_BR_IF: {
          // The segment's charge covered everything up to its end; the taken branch skips
          // what follows the br_if and gets it back (patches[i + 3] = cost up to here).
          const skipped = charged < 0 ? 0 : charged - patches[i + 3]!;
          if (skipped === 0) body.bytes(buf, at, after);
          else this.fuel.refundBranch(body, skipped, patches[i + 4]!);
          break;
        }
        case PATCH_BULK_MEMORY:
        case PATCH_BULK_TABLE:
          // Inserted before the operation; the charge changes the local, so a later store
          // in this segment is needed again.
          this.fuel.bulk(body, patches[i + 2] === PATCH_BULK_MEMORY);
          synced = false;
          break;
        case PATCH_GROW:
          body.bytes(this.fuel.growCall);
          this.stats.growSites++;
          break;
        case PATCH_CALL:
          if (!synced) body.bytes(this.fuel.store);
          body.bytes(buf, at, after);
          body.bytes(this.fuel.reload);
          this.stats.callSites++;
          synced = true;
          break;
        default: // PATCH_STORE
          if (!synced) body.bytes(this.fuel.store);
          body.bytes(buf, at, after);
          synced = true;
      }
      from = after;
    }
    patches.length = 0;
    body.bytes(buf, from, end);
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
