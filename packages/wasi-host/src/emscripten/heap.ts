/**
 * `emscripten_resize_heap`: the only way an emscripten module without `memory.grow` in
 * its code gets more memory, and so where the sandbox's memory cap is enforced. The
 * memory was created by the host with `maximum` = the cap, so a grow past it throws;
 * the import then returns 0 and the guest's allocator reports out-of-memory (Lua raises
 * "not enough memory").
 */

const PAGE = 65536;
// Grow a little ahead of demand so a growing heap does not call out once per page.
const OVERGROW_MAX = 16 * 1024 * 1024;

/** Options of `createHeapImports`. */
export interface HeapOptions {
  readonly memory: WebAssembly.Memory;
  /** Cap in bytes (the memory's maximum). */
  readonly capBytes: number;
  /** Called when a request was refused because of the cap. */
  readonly onLimitHit?: () => void;
}

/** Creates `emscripten_resize_heap`. */
export function createHeapImports(options: HeapOptions) {
  const { memory, onLimitHit } = options;
  const cap = Math.floor(options.capBytes / PAGE) * PAGE;
  return {
    emscripten_resize_heap: (requestedSize: number): number => {
      const requested = requestedSize >>> 0;
      const current = memory.buffer.byteLength;
      if (requested <= current) return 1;
      if (requested > cap) {
        onLimitHit?.();
        return 0;
      }
      const ahead = Math.min(cap, current + Math.min(Math.floor(current / 8), OVERGROW_MAX));
      const target = alignUp(Math.max(requested, ahead));
      for (const size of target > requested ? [target, alignUp(requested)] : [target]) {
        try {
          memory.grow((size - current) / PAGE);
          return 1;
        } catch {
          // Fall through to the exact request, then give up.
        }
      }
      onLimitHit?.();
      return 0;
    },
  };
}

function alignUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}
