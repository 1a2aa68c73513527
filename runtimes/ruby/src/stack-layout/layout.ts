/**
 * The sizes the stack-layout rewrite gives ruby.wasm (the one place they are chosen) and
 * the id naming them in the image's cache key and the snapshot key.
 */
import type { StackLayoutOptions } from "./rewrite.js";

/**
 * Room for the GC's spill of the WebAssembly locals of every frame (~240 bytes per level
 * of recursion through a block: 1 MiB holds ~4,000 levels, past the depth where the
 * engine's own stack ends any run), for the longjmp unwind and for large setjmp captures.
 */
export const STACK_LAYOUT: StackLayoutOptions = Object.freeze({
  scanBufferBytes: 1 << 20,
  unwindBufferBytes: 1 << 20,
  // setjmp captures too large for their jmp_buf (~350 bytes per level of recursion through
  // blocks): 1 MiB holds any depth the engine's stack allows; a longjmp can still reach the
  // last 4 large captures.
  setjmpRing: Object.freeze({ slots: 4, slotBytes: 1 << 20 }),
  // ~420 bytes of C stack per level of recursion through blocks: SystemStackError at ~1,700
  // levels, before the 24 KiB jump buffer each level allocates exhausts the default 128 MiB.
  cStackLimitBytes: 768 << 10,
});

/** Names the rewrite and its sizes; change the version whenever the rewrite's output changes. */
export const STACK_LAYOUT_ID = `ruby-stack-layout@3:${STACK_LAYOUT.cStackLimitBytes}:${STACK_LAYOUT.scanBufferBytes}:${STACK_LAYOUT.unwindBufferBytes}:${STACK_LAYOUT.setjmpRing.slots}x${STACK_LAYOUT.setjmpRing.slotBytes}`;
