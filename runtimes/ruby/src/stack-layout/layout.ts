/**
 * The sizes the stack-layout rewrite gives ruby.wasm (the one place they are chosen) and
 * the id naming them in the image's cache key and the snapshot key.
 */
import type { StackLayoutOptions } from "./rewrite.js";

/**
 * Room for the GC's spill of the WebAssembly locals of every frame (~240 bytes per level
 * of recursion through a block: 2 MiB holds ~8,000 levels, past the depth where the
 * engine's own stack ends any run) and for the longjmp unwind (never deeper).
 */
export const STACK_LAYOUT: StackLayoutOptions = Object.freeze({ scanBufferBytes: 2 << 20, unwindBufferBytes: 1 << 20 });

/** Names the rewrite and its sizes; change the version whenever the rewrite's output changes. */
export const STACK_LAYOUT_ID = `ruby-stack-layout@1:${STACK_LAYOUT.scanBufferBytes}:${STACK_LAYOUT.unwindBufferBytes}`;
