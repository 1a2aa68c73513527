/**
 * Host functions ("code mode") for raw WebAssembly: the `llm_sandbox` import module a
 * user's core module may import (README "Host functions"). Names, arguments and replies
 * are UTF-8 JSON in the module's own memory; the call goes through the run's control
 * channel like every other runtime's stub, and the module's instance waits (spending no
 * fuel) while the host runs the handler.
 *
 *   call(name_ptr, name_len, args_ptr, args_len, out_ptr, out_cap) -> i32
 *   reply(out_ptr, out_cap) -> i32
 *
 * `call` returns the reply's length in bytes and writes the reply (`{"ok":true,"value":…}`
 * or `{"ok":false,"error":{"name":…,"message":…}}`) at `out_ptr` when it fits `out_cap`;
 * when it does not, nothing is written and `reply` copies the same reply later (into a
 * bigger buffer). Both return -1, and `call` calls nothing, when a range lies outside
 * memory. Errors are values here, never traps, like WASI's errno.
 */
import type { ControlChannel } from "@llm-wasm-sandbox/wasi-host/driver";

/** The import module's name. */
export const HOST_CALL_MODULE = "llm_sandbox";

/** Each function of HOST_CALL_MODULE with its signature (parameter and result types). */
export const HOST_CALL_SIGNATURES: Readonly<Record<string, string>> = Object.freeze({
  call: "(i32 i32 i32 i32 i32 i32) -> (i32)",
  reply: "(i32 i32) -> (i32)",
});

/** What `call`/`reply` return for a memory range outside the module's memory. */
export const BAD_RANGE = -1;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);
/** More than the channel accepts in a tool name (200 characters), so a longer one is still refused. */
const MAX_NAME_BYTES = 4 * 201;

/** The `llm_sandbox` imports over `memory` and the run's control channel. */
export function hostCallImports(memory: WebAssembly.Memory, control: ControlChannel): WebAssembly.ModuleImports {
  let last: Uint8Array = EMPTY;
  const range = (ptr: number, len: number): Uint8Array | null => {
    const p = ptr >>> 0;
    const n = len >>> 0;
    return p + n > memory.buffer.byteLength ? null : new Uint8Array(memory.buffer, p, n);
  };
  const deliver = (outPtr: number, outCap: number): number => {
    const out = range(outPtr, outCap);
    if (out === null) return BAD_RANGE;
    if (last.length <= out.length) out.set(last);
    return last.length;
  };
  return {
    call(namePtr: number, nameLen: number, argsPtr: number, argsLen: number, outPtr: number, outCap: number): number {
      const name = range(namePtr, nameLen);
      const args = range(argsPtr, argsLen);
      if (name === null || args === null || range(outPtr, outCap) === null) return BAD_RANGE;
      // The channel counts the call and refuses arguments over the cap; decoding one byte
      // more than the cap is enough for it to see that (invalid UTF-8 never decodes shorter).
      const argsText = argsLen === 0 ? "{}" : decoder.decode(args.subarray(0, control.maxArgsBytes + 1));
      const reply = control.call(decoder.decode(name.subarray(0, MAX_NAME_BYTES)), argsText);
      last = encoder.encode(reply.ok ? `{"ok":true,"value":${reply.value}}` : JSON.stringify(reply));
      return deliver(outPtr, outCap);
    },
    reply: (outPtr: number, outCap: number): number => deliver(outPtr, outCap),
  };
}
