/**
 * `setjmp` captures that outgrow the `jmp_buf`. ruby.wasm's setjmp (wasm/setjmp.c) copies
 * the WebAssembly locals of every frame up to the root into a 24 KiB buffer inside the
 * `jmp_buf` (its size is part of CRuby's structures), so any exception, `ensure` or Hash
 * iteration ~60 levels deep in recursion through blocks overflowed it and trapped. Here:
 *
 * - `_rb_wasm_setjmp_internal` captures into the current slot of a ring of large slots
 *   instead of the inline buffer;
 * - every call of `rb_wasm_handle_jmp_unwind` (in each entry point's `rb_wasm_rt_start`)
 *   goes through an appended function that, for a finished capture, copies it into the
 *   inline buffer when it fits (the common case, then nothing else changes) or else keeps
 *   it in its slot, stamps the slot's generation into the now unused inline buffer and
 *   moves to the next slot; and, before a `longjmp` rewinds into a capture kept in a slot,
 *   checks that the slot still holds it — if it was reused since, the `jmp_buf`'s `end`
 *   becomes 0, so Asyncify's own check traps (`unreachable`) instead of rewinding garbage.
 *
 * So setjmp works at any depth the slots hold, and a longjmp reaches captures among the
 * last `slots` large ones (the usual pattern: an exception unwinding through nearby
 * `ensure`s); only a longjmp to an older large capture still traps.
 */
import { encodeSLEB128, encodeULEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import type { FunctionBody, ModuleView } from "./module-patch.js";

/** Sizes of the ring. */
export interface SetjmpRingOptions {
  readonly slots: number;
  readonly slotBytes: number;
}

/** What the ring rewrite needs to emit. */
export interface SetjmpRingEdit {
  readonly bodies: ReadonlyMap<number, Uint8Array>;
  readonly appended: { readonly typeIndex: number; readonly body: Uint8Array };
  /** Bytes the ring takes from `base` on. */
  readonly bytes: number;
  /** Size of the inline buffer of a `jmp_buf` in the build. */
  readonly inlineBytes: number;
}

const MAGIC = 0x4c4c4d52; // "LLMR": an inline buffer that points at a ring slot

const seq = (...parts: Array<number | Iterable<number>>): number[] => parts.flatMap((p) => (typeof p === "number" ? [p] : [...p]));
const i32 = (v: number): number[] => [0x41, ...encodeSLEB128(v)];
const call = (f: number): number[] => [0x10, ...encodeULEB128(f)];
const load = (offset: number): number[] => [0x28, 0x02, ...encodeULEB128(offset)];
const store = (offset: number): number[] => [0x36, 0x02, ...encodeULEB128(offset)];
const get = (l: number): number[] => [0x20, l];
const set = (l: number): number[] => [0x21, l];

function indexOf(bytes: Uint8Array, from: number, to: number, pattern: readonly number[]): number {
  outer: for (let p = from; p + pattern.length <= to; p++) {
    for (let i = 0; i < pattern.length; i++) if (bytes[p + i] !== pattern[i]) continue outer;
    return p;
  }
  return -1;
}

function splice(bytes: Uint8Array, body: FunctionBody, edits: ReadonlyArray<{ at: number; length: number; with: readonly number[] }>): Uint8Array {
  const out: number[] = [];
  let from = body.start;
  for (const e of [...edits].sort((a, b) => a.at - b.at)) {
    out.push(...bytes.subarray(from, e.at), ...e.with);
    from = e.at + e.length;
  }
  out.push(...bytes.subarray(from, body.end));
  return Uint8Array.from(out);
}

/** Builds the ring rewrite for a module whose free memory starts at `base`. */
export function setjmpRing(view: ModuleView, base: number, options: SetjmpRingOptions): SetjmpRingEdit {
  const { bytes } = view;
  const startUnwind = view.functionExports.get("asyncify_start_unwind");
  const startRewind = view.functionExports.get("asyncify_start_rewind");
  if (startUnwind === undefined || startRewind === undefined) throw new Error("not an Asyncify build");
  // setjmp_internal: `env->top = env + 8` and `env->end = env + <inline end>` before `start_unwind(env)`.
  const topStore = seq(get(0), get(0), i32(8), 0x6a, store(0));
  const candidates = view.bodies.filter((b) => indexOf(bytes, b.start, b.end, topStore) >= 0 && indexOf(bytes, b.start, b.end, seq(get(0), call(startUnwind))) >= 0);
  if (candidates.length !== 1) throw new Error(`expected one setjmp capture function, found ${candidates.length}`);
  const setjmp = candidates[0]!;
  const endHead = seq(get(0), get(0), 0x41);
  let inlineEnd = -1;
  let endAt = -1;
  let endLength = 0;
  for (let p = indexOf(bytes, setjmp.start, setjmp.end, endHead); p >= 0 && p < setjmp.end; p = indexOf(bytes, p + 1, setjmp.end, endHead)) {
    let v = 0;
    let k = 0;
    for (let scale = 1; k < 5; k++, scale *= 128) {
      const b = bytes[p + endHead.length + k]!;
      v += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
    }
    const after = p + endHead.length + k + 1;
    if (v > 8 && bytes[after] === 0x6a && bytes[after + 1] === 0x36 && bytes[after + 2] === 0x02 && bytes[after + 3] === 0x04) {
      inlineEnd = v;
      endAt = p + 2;
      endLength = after + 1 - endAt;
    }
  }
  if (inlineEnd < 0) throw new Error("the setjmp capture function does not set the buffer's end");
  const dstOffset = inlineEnd + 4;
  const stateOffset = inlineEnd + 12;
  const inlineBytes = inlineEnd - 8;
  // rb_wasm_handle_jmp_unwind: on RETURNING it restores `env->top = env->dst_buf_top`.
  const restore = seq(get(0), get(0), load(dstOffset), store(0));
  const handlers = view.bodies.filter((b) => b !== setjmp && indexOf(bytes, b.start, b.end, restore) >= 0);
  if (handlers.length !== 1) throw new Error(`expected one jmp-unwind handler, found ${handlers.length}`);
  const handler = handlers[0]!;
  const wrapper = view.importedFunctions + view.bodies.length;

  const ctrl = base; // u32: current slot
  const gens = base + 16;
  const ring = gens + ((options.slots * 4 + 15) & ~15);
  const S = options.slotBytes;
  const slotStart = seq(i32(ctrl), load(0), i32(S), 0x6c, i32(ring), 0x6a);

  const bodies = new Map<number, Uint8Array>();
  const topAt = indexOf(bytes, setjmp.start, setjmp.end, topStore);
  bodies.set(setjmp.index, splice(bytes, setjmp, [
    { at: topAt + 2, length: topStore.length - 2 - 3, with: slotStart },
    { at: endAt, length: endLength, with: seq(slotStart, i32(S), 0x6a) },
  ]));
  const callHandler = call(handler.index);
  const rewinding = call(startRewind);
  for (const b of view.bodies) {
    // The handler's callers are the entry points' rb_wasm_rt_start loops, which rewind.
    if (b === handler || indexOf(bytes, b.start, b.end, rewinding) < 0) continue;
    const edits: Array<{ at: number; length: number; with: number[] }> = [];
    for (let p = indexOf(bytes, b.start, b.end, callHandler); p >= 0; p = indexOf(bytes, p + 1, b.end, callHandler)) {
      // Only a call instruction (not bytes inside another immediate): the handler takes no argument,
      // so in the flat code it follows a complete instruction; rt_start is its only caller.
      edits.push({ at: p, length: callHandler.length, with: call(wrapper) });
    }
    if (edits.length > 0) bodies.set(b.index, splice(bytes, b, edits));
  }
  if (bodies.size < 2) throw new Error("found no caller of the jmp-unwind handler");
  const typeIndex = view.functionTypes[handler.index - view.importedFunctions]!;
  return { bodies, appended: { typeIndex, body: wrapperBody() }, bytes: ring + options.slots * S - base, inlineBytes };

  function wrapperBody(): Uint8Array {
    const P = 0;
    const SIZE = 1;
    const SLOT = 2;
    const slotStartOf = seq(get(SLOT), i32(S), 0x6c, i32(ring), 0x6a);
    const genAddr = seq(get(SLOT), i32(2), 0x74, i32(gens), 0x6a);
    const inlineEndOf = seq(get(P), i32(inlineEnd), 0x6a);
    return Uint8Array.from(seq(
      0x01, 0x03, 0x7f, // three i32 locals: p, size, slot
      call(handler.index), 0x22, P, 0x45, 0x04, 0x40, i32(0), 0x0f, 0x0b,
      // RETURNING into a capture kept in a slot: is the slot still holding it?
      get(P), load(stateOffset), i32(3), 0x46, 0x04, 0x40,
        get(P), load(4), inlineEndOf, 0x47, 0x04, 0x40,
          get(P), load(12), set(SLOT),
          get(P), load(8), i32(MAGIC), 0x47,
          get(SLOT), i32(options.slots), 0x4f, 0x72,
          genAddr, load(0), get(P), load(16), 0x47, 0x72,
          0x04, 0x40, get(P), i32(0), store(4), 0x0b,
        0x0b,
        get(P), 0x0f,
      0x0b,
      // Anything but a finished capture (CAPTURING), or one in the inline buffer: unchanged.
      get(P), load(stateOffset), i32(1), 0x47, 0x04, 0x40, get(P), 0x0f, 0x0b,
      get(P), load(4), inlineEndOf, 0x46, 0x04, 0x40, get(P), 0x0f, 0x0b,
      i32(ctrl), load(0), set(SLOT),
      get(P), load(0), slotStartOf, 0x6b, set(SIZE),
      get(SIZE), i32(inlineBytes), 0x4d, 0x04, 0x40,
        // Fits: into the jmp_buf's own buffer (memory.copy), as ruby.wasm would have it.
        get(P), i32(8), 0x6a, slotStartOf, get(SIZE), 0xfc, 0x0a, 0x00, 0x00,
        get(P), get(P), i32(8), 0x6a, get(SIZE), 0x6a, store(0),
        get(P), inlineEndOf, store(4),
        get(P), get(P), load(0), store(dstOffset),
        get(P), 0x0f,
      0x0b,
      // Too large: keep it in the slot, stamp the slot's new generation, use the next slot.
      genAddr, genAddr, load(0), i32(1), 0x6a, store(0),
      get(P), i32(MAGIC), store(8),
      get(P), get(SLOT), store(12),
      get(P), genAddr, load(0), store(16),
      i32(ctrl), get(SLOT), i32(1), 0x6a, i32(options.slots), 0x70, store(0),
      get(P),
      0x0b,
    ));
  }
}
