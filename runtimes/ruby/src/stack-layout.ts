/**
 * The Ruby image transform, built to `dist/stack-layout.js` and run by the pool thread that
 * prepares the image (`ImageSource.transform`): ruby.wasm with its Asyncify buffers moved
 * to room for deep recursion (see stack-layout/rewrite.ts).
 */
import { STACK_LAYOUT } from "./stack-layout/layout.js";
import { rewriteStackLayout } from "./stack-layout/rewrite.js";

/** Original ruby.wasm bytes in, rewritten bytes out. */
export default function rubyStackLayout(bytes: Uint8Array): Uint8Array {
  return rewriteStackLayout(bytes, STACK_LAYOUT).bytes;
}
