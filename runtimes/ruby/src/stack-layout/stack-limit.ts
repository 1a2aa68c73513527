/**
 * Lets CRuby see how much C stack it may use. On WASI, `native_thread_init_stack`
 * (thread_none.c) records only `ec->machine.stack_start` (from `rb_wasm_stack_get_base()`),
 * so `stack_maxsize` stays 0 and CRuby's C-stack check never fires: runaway recursion
 * through blocks ran until the engine trapped. The rewritten function also stores a
 * `stack_maxsize`, so the check raises a catchable `SystemStackError` first.
 */
import { encodeSLEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { isStaticGetter } from "./code-patterns.js";
import type { ModuleView } from "./module-patch.js";

/** The rewritten `native_thread_init_stack`, by function index. */
export function stackLimitEdit(view: ModuleView, limitBytes: number): { readonly index: number; readonly body: Uint8Array } {
  const { bytes } = view;
  // (func (param $th i32) (param i32)
  //   local.set 1 (call $rb_wasm_stack_get_base)
  //   i32.store offset=S (i32.load offset=E (local.get 0)) (local.get 1))
  const found: Array<{ index: number; getter: number[]; ecOffset: number; startOffset: number }> = [];
  for (const b of view.bodies) {
    const n = b.end - b.start;
    if (n < 14 || n > 24 || bytes[b.start] !== 0x00 || bytes[b.start + 1] !== 0x10) continue;
    let p = b.start + 2;
    const getterBytes: number[] = [];
    while (p < b.end && (bytes[p]! & 0x80) !== 0) getterBytes.push(bytes[p++]!);
    getterBytes.push(bytes[p++]!);
    let getter = 0;
    getterBytes.forEach((v, i) => (getter += (v & 0x7f) * 128 ** i));
    const tail = [...bytes.subarray(p, b.end)];
    // 21 01 20 00 28 02 <E> 20 01 36 02 <S> 0b, with one-byte offsets.
    if (tail.length !== 13 || tail[0] !== 0x21 || tail[1] !== 0x01 || tail[2] !== 0x20 || tail[3] !== 0x00 || tail[4] !== 0x28 || tail[5] !== 0x02) continue;
    if (tail[7] !== 0x20 || tail[8] !== 0x01 || tail[9] !== 0x36 || tail[10] !== 0x02 || tail[12] !== 0x0b || (tail[6]! & 0x80) !== 0 || (tail[11]! & 0x80) !== 0) continue;
    const g = view.bodies.find((x) => x.index === getter);
    if (!g || !isStaticGetterOfAny(bytes, g)) continue;
    found.push({ index: b.index, getter: [0x10, ...getterBytes], ecOffset: tail[6]!, startOffset: tail[11]! });
  }
  if (found.length !== 1) throw new Error(`expected one native_thread_init_stack, found ${found.length}`);
  const f = found[0]!;
  // machine = { stack_start, stack_end, stack_maxsize, ... }: stack_maxsize is two words on.
  const body = Uint8Array.from([
    0x00, ...f.getter, 0x21, 0x01,
    0x20, 0x00, 0x28, 0x02, f.ecOffset, 0x22, 0x00,
    0x20, 0x01, 0x36, 0x02, f.startOffset,
    0x20, 0x00, 0x41, ...encodeSLEB128(limitBytes), 0x36, 0x02, f.startOffset + 8,
    0x0b,
  ]);
  return { index: f.index, body };
}

/** `(func (result i32) i32.const A i32.load)` for some A. */
function isStaticGetterOfAny(bytes: Uint8Array, body: { readonly index: number; readonly start: number; readonly end: number }): boolean {
  if (bytes[body.start] !== 0x00 || bytes[body.start + 1] !== 0x41) return false;
  let p = body.start + 2;
  let address = 0;
  for (let i = 0; p < body.end; i++) {
    const v = bytes[p++]!;
    address += (v & 0x7f) * 128 ** i;
    if ((v & 0x80) === 0) break;
  }
  return isStaticGetter(bytes, body, address);
}
