/**
 * Operator tables: what immediates each opcode carries and what it costs. The meter
 * must decode every operator exactly (a wrong immediate length desynchronises the
 * rest of the function), so anything not listed here is refused, never guessed.
 *
 * Cost rule (wasmtime's): one fuel unit per operator, except the free ones below.
 * Free operators are those that generate no machine code of their own or only mark
 * structure, so charging them would make budgets depend on how a compiler nested its
 * blocks rather than on work done:
 *   - `nop`, `drop`: no code.
 *   - `block`, `loop`, `end`, `else`: structure markers (wasmtime: free).
 *   - `unreachable`, `return`: end execution of the block (wasmtime: free).
 *   - `try`, `catch`, `catch_all`, `delegate`: the legacy exception-handling
 *     structure markers, free for the same reason as `block`/`end`/`else`.
 * Everything else costs 1, including `if`, `br`, `br_if`, `br_table`, calls, `throw`
 * and `rethrow` (they compare or transfer control, which costs real work). Bulk memory
 * and table operations also pay for their length at run time (instrument-function.ts).
 */
import type { ByteReader } from "./byte-reader.js";

/** No immediates. */
export const IMM_NONE = 1;
/** One LEB128 index or depth. */
export const IMM_U32 = 2;
/** Two LEB128 indices (call_indirect, memory.copy, table.copy, table.init, memory.init). */
export const IMM_U32X2 = 3;
/** A memory argument (align flags, optional memory index, offset). */
export const IMM_MEMARG = 4;
/** A block type. */
export const IMM_BLOCKTYPE = 5;
/** br_table: a vector of depths then a default depth. */
export const IMM_BR_TABLE = 6;
/** typed select: a vector of value types. */
export const IMM_SELECT_T = 7;
/** i32.const / i64.const: a signed LEB128. */
export const IMM_SLEB = 8;
/** f32.const: 4 raw bytes. */
export const IMM_F32 = 9;
/** f64.const: 8 raw bytes. */
export const IMM_F64 = 10;
/** ref.null: a heap type (signed LEB128). */
export const IMM_HEAPTYPE = 11;
/** SIMD v128.const / i8x16.shuffle: 16 raw bytes. */
export const IMM_BYTES16 = 12;
/** SIMD lane index: 1 byte. */
export const IMM_LANE = 13;
/** SIMD load/store lane: memarg then a lane byte. */
export const IMM_MEMARG_LANE = 14;

/** Immediate kind of each single-byte opcode (0 = unknown or handled as control). */
export const SINGLE_IMM = new Uint8Array(256);
/** Fuel cost of each single-byte opcode (see the free list above). */
export const SINGLE_COST = new Uint8Array(256);
/** Immediate kind of each 0xFC-prefixed sub-opcode (0 = unknown). */
export const FC_IMM = new Uint8Array(18);
/** Immediate kind of each 0xFD-prefixed (SIMD) sub-opcode (0 = unknown). */
export const FD_IMM = new Uint8Array(0x114);

/** Control and call opcodes the instrumenter treats specially. */
export const OP = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  try: 0x06,
  catch: 0x07,
  throw: 0x08,
  rethrow: 0x09,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  call_indirect: 0x11,
  return_call: 0x12,
  return_call_indirect: 0x13,
  call_ref: 0x14,
  return_call_ref: 0x15,
  delegate: 0x18,
  catch_all: 0x19,
  memory_grow: 0x40,
  br_on_null: 0xd4,
  br_on_non_null: 0xd5,
  prefix_fc: 0xfc,
  prefix_fd: 0xfd,
} as const;

function set(table: Uint8Array, from: number, to: number, imm: number): void {
  for (let op = from; op <= to; op++) table[op] = imm;
}

// --- single-byte opcodes -------------------------------------------------------
set(SINGLE_IMM, 0x00, 0x01, IMM_NONE); // unreachable, nop
set(SINGLE_IMM, 0x02, 0x04, IMM_BLOCKTYPE); // block, loop, if
SINGLE_IMM[0x05] = IMM_NONE; // else
SINGLE_IMM[0x06] = IMM_BLOCKTYPE; // try
set(SINGLE_IMM, 0x07, 0x09, IMM_U32); // catch tag, throw tag, rethrow depth
set(SINGLE_IMM, 0x0b, 0x0b, IMM_NONE); // end
set(SINGLE_IMM, 0x0c, 0x0d, IMM_U32); // br, br_if
SINGLE_IMM[0x0e] = IMM_BR_TABLE;
SINGLE_IMM[0x0f] = IMM_NONE; // return
SINGLE_IMM[0x10] = IMM_U32; // call
SINGLE_IMM[0x11] = IMM_U32X2; // call_indirect type table
SINGLE_IMM[0x12] = IMM_U32; // return_call
SINGLE_IMM[0x13] = IMM_U32X2; // return_call_indirect
set(SINGLE_IMM, 0x14, 0x15, IMM_U32); // call_ref, return_call_ref (type index)
SINGLE_IMM[0x18] = IMM_U32; // delegate depth
SINGLE_IMM[0x19] = IMM_NONE; // catch_all
set(SINGLE_IMM, 0x1a, 0x1b, IMM_NONE); // drop, select
SINGLE_IMM[0x1c] = IMM_SELECT_T;
set(SINGLE_IMM, 0x20, 0x26, IMM_U32); // local.*, global.*, table.get/set
set(SINGLE_IMM, 0x28, 0x3e, IMM_MEMARG); // loads and stores
set(SINGLE_IMM, 0x3f, 0x40, IMM_U32); // memory.size, memory.grow (memory index)
set(SINGLE_IMM, 0x41, 0x42, IMM_SLEB);
SINGLE_IMM[0x43] = IMM_F32;
SINGLE_IMM[0x44] = IMM_F64;
set(SINGLE_IMM, 0x45, 0xc4, IMM_NONE); // numeric MVP + sign-extension
SINGLE_IMM[0xd0] = IMM_HEAPTYPE; // ref.null
SINGLE_IMM[0xd1] = IMM_NONE; // ref.is_null
SINGLE_IMM[0xd2] = IMM_U32; // ref.func
SINGLE_IMM[0xd3] = IMM_NONE; // ref.as_non_null
set(SINGLE_IMM, 0xd4, 0xd5, IMM_U32); // br_on_null, br_on_non_null

for (let op = 0; op < 256; op++) SINGLE_COST[op] = SINGLE_IMM[op] === 0 ? 0 : 1;
for (const free of [0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x0b, 0x0f, 0x18, 0x19, 0x1a]) {
  SINGLE_COST[free] = 0;
}

// --- 0xFC: saturating truncation, bulk memory, table ops -------------------------
set(FC_IMM, 0, 7, IMM_NONE); // i32/i64.trunc_sat_f32/f64_s/u
FC_IMM[8] = IMM_U32X2; // memory.init data mem
FC_IMM[9] = IMM_U32; // data.drop
FC_IMM[10] = IMM_U32X2; // memory.copy dst src
FC_IMM[11] = IMM_U32; // memory.fill
FC_IMM[12] = IMM_U32X2; // table.init elem table
FC_IMM[13] = IMM_U32; // elem.drop
FC_IMM[14] = IMM_U32X2; // table.copy
set(FC_IMM, 15, 17, IMM_U32); // table.grow, table.size, table.fill

// --- 0xFD: SIMD (fixed-width) and relaxed SIMD -----------------------------------
set(FD_IMM, 0x00, 0x0b, IMM_MEMARG); // v128.load*, v128.store
FD_IMM[0x0c] = IMM_BYTES16; // v128.const
FD_IMM[0x0d] = IMM_BYTES16; // i8x16.shuffle
set(FD_IMM, 0x0e, 0x14, IMM_NONE); // swizzle, splats
set(FD_IMM, 0x15, 0x22, IMM_LANE); // extract/replace lane
set(FD_IMM, 0x23, 0x53, IMM_NONE); // comparisons, bitwise, any_true
set(FD_IMM, 0x54, 0x5b, IMM_MEMARG_LANE); // load/store lane
set(FD_IMM, 0x5c, 0x5d, IMM_MEMARG); // load32_zero, load64_zero
set(FD_IMM, 0x5e, 0xff, IMM_NONE); // the rest of the arithmetic...
// ...minus the opcodes the SIMD proposal left unassigned.
for (const gap of [0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee]) {
  FD_IMM[gap] = 0;
}
set(FD_IMM, 0x100, 0x113, IMM_NONE); // relaxed SIMD

/**
 * Skips the immediates of an operator whose kind is `imm`, leaving `r.pos` after them.
 * Returns false when `imm` is 0 (unknown operator) so the caller can report it.
 */
export function skipImmediates(r: ByteReader, imm: number): boolean {
  switch (imm) {
    case IMM_NONE:
      return true;
    case IMM_U32:
      r.skipLeb(5);
      return true;
    case IMM_U32X2:
      r.skipLeb(5);
      r.skipLeb(5);
      return true;
    case IMM_MEMARG:
      skipMemarg(r);
      return true;
    case IMM_BLOCKTYPE:
      skipBlockType(r);
      return true;
    case IMM_BR_TABLE: {
      const n = r.u32();
      for (let i = 0; i <= n; i++) r.skipLeb(5);
      return true;
    }
    case IMM_SELECT_T: {
      const n = r.u32();
      for (let i = 0; i < n; i++) skipValType(r);
      return true;
    }
    case IMM_SLEB:
    case IMM_HEAPTYPE:
      r.skipLeb(10);
      return true;
    case IMM_F32:
      r.skip(4);
      return true;
    case IMM_F64:
      r.skip(8);
      return true;
    case IMM_BYTES16:
      r.skip(16);
      return true;
    case IMM_LANE:
      r.skip(1);
      return true;
    case IMM_MEMARG_LANE:
      skipMemarg(r);
      r.skip(1);
      return true;
    default:
      return false;
  }
}

/** Skips a memarg: alignment flags (bit 6 = explicit memory index), memory index, offset. */
export function skipMemarg(r: ByteReader): void {
  const align = r.u32();
  if ((align & 0x40) !== 0) r.skipLeb(5);
  r.skipLeb(10); // offset is u64 under memory64
}

/** Skips a block type: 0x40 (empty), a value type, or a non-negative s33 type index. */
export function skipBlockType(r: ByteReader): void {
  const b = r.buf[r.pos];
  if (b === 0x40) {
    r.pos++;
    return;
  }
  if (b !== undefined && (b & 0xc0) === 0x40) {
    // A one-byte negative s33 is a value type.
    skipValType(r);
    return;
  }
  r.skipLeb(5); // type index
}

/** Skips a value type, including typed references (0x63/0x64 followed by a heap type). */
export function skipValType(r: ByteReader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) r.skipLeb(5);
}
