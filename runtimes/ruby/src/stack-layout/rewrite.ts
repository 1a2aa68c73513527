/**
 * The stack-layout rewrite of ruby.wasm (see ../../README.md, "Recursion"): gives the
 * Asyncify buffers of CRuby's WebAssembly support code room for deep recursion.
 */
import { encodeSLEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { addressesStoring, constArgumentsOf, constStoresTo, isStaticGetter, withConstants, type ConstOperand } from "./code-patterns.js";
import { memoryLimits, patchModule, viewModule, type FunctionBody, type ModuleView } from "./module-patch.js";
import { setjmpRing, type SetjmpRingOptions } from "./setjmp-ring.js";
import { stackLimitEdit } from "./stack-limit.js";

const PAGE = 65536;

/** Sizes of the regions the rewrite adds above the module's initial memory. */
export interface StackLayoutOptions {
  /** Bytes for the GC's spill of every frame's locals (`rb_wasm_scan_locals`). */
  readonly scanBufferBytes: number;
  /** Bytes for the other static unwind buffers (`longjmp`). */
  readonly unwindBufferBytes: number;
  /** The ring that holds `setjmp` captures too large for their `jmp_buf` (see setjmp-ring.ts). */
  readonly setjmpRing: SetjmpRingOptions;
  /** C stack CRuby may use before raising SystemStackError (see stack-limit.ts). */
  readonly cStackLimitBytes: number;
}

/** A static Asyncify buffer `{ top, end, data[size] }` found in the module. */
interface StaticBuffer {
  readonly body: FunctionBody;
  readonly header: number;
  readonly top: ConstOperand;
  readonly end: ConstOperand;
  readonly size: number;
  readonly getters: readonly FunctionBody[];
}

/** What the rewrite did, for tests and messages. */
export interface StackLayoutFacts {
  readonly scanBuffer: { readonly from: number; readonly to: number; readonly originalBytes: number };
  readonly unwindBuffers: ReadonlyArray<{ readonly from: number; readonly to: number; readonly originalBytes: number }>;
  readonly setjmpRing: { readonly from: number; readonly to: number; readonly inlineBytes: number };
  readonly memoryMinPages: { readonly before: number; readonly after: number };
}

/** Rewrites the module; throws when it is not the ruby.wasm build this was written for. */
export function rewriteStackLayout(bytes: Uint8Array, options: StackLayoutOptions): { bytes: Uint8Array<ArrayBuffer>; facts: StackLayoutFacts } {
  const view = viewModule(bytes);
  const startUnwind = view.functionExports.get("asyncify_start_unwind");
  if (startUnwind === undefined) throw new Error("not an Asyncify build: no asyncify_start_unwind export");
  const buffers = staticBuffers(view, startUnwind);
  const scans = buffers.filter((b) => b.getters.length === 1);
  const unwinds = buffers.filter((b) => b.getters.length === 0);
  if (scans.length !== 1 || unwinds.length !== buffers.length - 1) {
    throw new Error(`expected one GC scan buffer among the static Asyncify buffers, found ${scans.length} of ${buffers.length}`);
  }
  const limits = memoryLimits(view);
  if (!limits) throw new Error("ruby.wasm must define its memory");
  const base = limits.min * PAGE;
  const bodies = new Map<number, Uint8Array>();
  const relocate = (b: StaticBuffer, from: number, size: number): { from: number; to: number; originalBytes: number } => {
    bodies.set(b.body.index, withConstants(view.bytes, b.body, [
      { operand: b.top, value: from },
      { operand: b.end, value: from + size },
    ]));
    return { from, to: from + size, originalBytes: b.size };
  };
  let next = base;
  const scan = scans[0]!;
  const scanFacts = relocate(scan, next, options.scanBufferBytes);
  next += options.scanBufferBytes;
  bodies.set(scan.getters[0]!.index, highWaterGetter(activeScanPointer(view, scan)));
  const unwindFacts = unwinds.map((b) => {
    const facts = relocate(b, next, options.unwindBufferBytes);
    next += options.unwindBufferBytes;
    return facts;
  });
  const ring = setjmpRing(view, next, options.setjmpRing);
  for (const [index, body] of ring.bodies) {
    if (bodies.has(index)) throw new Error(`function ${index} would be patched twice`);
    bodies.set(index, body);
  }
  const limit = stackLimitEdit(view, options.cStackLimitBytes);
  if (bodies.has(limit.index)) throw new Error(`function ${limit.index} would be patched twice`);
  bodies.set(limit.index, limit.body);
  const ringFacts = { from: next, to: next + ring.bytes, inlineBytes: ring.inlineBytes };
  next += ring.bytes;
  const after = Math.ceil(next / PAGE);
  const out = patchModule(view, { bodies, globalInits: new Map(), memoryMinPages: after, appended: [ring.appended] });
  return { bytes: out, facts: { scanBuffer: scanFacts, unwindBuffers: unwindFacts, setjmpRing: ringFacts, memoryMinPages: { before: limits.min, after } } };
}

/**
 * Functions that start an unwind into a buffer at a constant address and initialize it
 * there: `top = &data[0]`, `end = &data[size]` (machine.c's scan buffer, setjmp.c's
 * longjmp buffer). Buffers inside a `jmp_buf` are addressed through a local: not these.
 */
function staticBuffers(view: ModuleView, startUnwind: number): StaticBuffer[] {
  const out: StaticBuffer[] = [];
  for (const body of view.bodies) {
    for (const { value: header } of constArgumentsOf(view.bytes, body, startUnwind)) {
      const tops = constStoresTo(view.bytes, body, header).filter((c) => c.value === header + 8);
      const ends = constStoresTo(view.bytes, body, header + 4).filter((c) => c.value - (header + 8) >= 1024 && c.value - (header + 8) <= 1 << 22);
      if (tops.length !== 1 || ends.length !== 1) continue;
      const pointers = addressesStoring(view.bytes, body, header);
      const getters = view.bodies.filter((g) => pointers.some((a) => isStaticGetter(view.bytes, g, a)));
      out.push({ body, header, top: tops[0]!, end: ends[0]!, size: ends[0]!.value - (header + 8), getters });
    }
  }
  return out;
}

/** The static address the scan buffer's getter reads (`_rb_wasm_active_scan_buf`). */
function activeScanPointer(view: ModuleView, scan: StaticBuffer): number {
  const pointers = addressesStoring(view.bytes, scan.body, scan.header).filter((a) => isStaticGetter(view.bytes, scan.getters[0]!, a));
  if (pointers.length !== 1) throw new Error("the scan buffer's getter reads more than one pointer");
  return pointers[0]!;
}

/**
 * `rb_wasm_handle_scan_unwind` that also records the spill's high-water mark: when the
 * unwind stops, `top` is where the spilled locals end, so `end = top` makes the GC scan
 * only what was written (the rewound `top` is back at the start), not the whole buffer.
 * `(func (result i32) (local i32)
 *    i32.const P  i32.load  local.tee 0
 *    if  local.get 0  local.get 0  i32.load  i32.store offset=4  end
 *    local.get 0)`
 */
function highWaterGetter(pointer: number): Uint8Array {
  return Uint8Array.from([
    0x01, 0x01, 0x7f,
    0x41, ...encodeSLEB128(pointer), 0x28, 0x02, 0x00, 0x22, 0x00,
    0x04, 0x40, 0x20, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x36, 0x02, 0x04, 0x0b,
    0x20, 0x00, 0x0b,
  ]);
}
