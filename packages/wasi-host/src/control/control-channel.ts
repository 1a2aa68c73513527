/**
 * The control channel of one run (worker side): how a runtime's own bootstrap tells the
 * host structured facts (the uncaught error, what happened to saved state) and calls host
 * functions — never through the guest's stdout/stderr, which stay the user's.
 *
 * Drivers with a JavaScript hand in the guest (QuickJS) call `report`/`call` directly.
 * Guests that only have file I/O get a device (`mountDevice`): the bootstrap opens it
 * before any user code runs — the first open unlinks it, so nobody else can — and speaks
 * JSON lines: a fact (`{"kind":"error",…}`) or a call (`{"kind":"call","tool":…,"args":…}`),
 * whose reply line (`{"ok":true,"value":…}` / `{"ok":false,"error":{…}}`) is then read from
 * the same handle.
 *
 * Everything on it is the guest's account of its own run: facts are shape-checked and
 * capped (`parseGuestFact`), and the host renders its own sentences from them.
 */
import { GUEST_FACT_LIMITS, parseGuestFact, type GuestFact } from "@llm-wasm-sandbox/core/guest-facts";
import type { ToolCallReply } from "../channel/protocol.js";
import type { DeviceHandler } from "../vfs/device.js";
import type { VirtualFs } from "../vfs/virtual-fs.js";

export type { ToolCallHandler, ToolCallRequest } from "../channel/channel-server.js";

/** Conventional guest path of the control device (in the run-only /tmp). */
export const CONTROL_DEVICE_PATH = "/tmp/.llm-sandbox-control";

/** Largest JSON text of one call's arguments. */
export const MAX_CALL_ARGS_BYTES = 1024 * 1024;

/** The worker-side control channel of a run (`ctx.control`). */
export interface ControlChannel {
  /** Records a fact; returns false (and drops it) when it is malformed or over the per-run cap. */
  report(fact: unknown): boolean;
  /**
   * Calls a host function with JSON arguments and blocks until the host answers (fuel does
   * not run meanwhile; the wall clock does).
   */
  call(tool: string, argsJson: string): ToolCallReply;
  /** Creates the channel's device at `path` (default CONTROL_DEVICE_PATH) in the run's filesystem. */
  mountDevice(fs: VirtualFs, path?: string): void;
  /** The facts recorded so far. */
  readonly facts: readonly GuestFact[];
}

/** Creates a run's control channel over the blocking `call` transport to the main thread. */
export function createControlChannel(transport: (tool: string, argsJson: string) => ToolCallReply): ControlChannel {
  const facts: GuestFact[] = [];
  const channel: ControlChannel = {
    facts,
    report(fact) {
      const parsed = parseGuestFact(fact);
      if (parsed === null || facts.length >= GUEST_FACT_LIMITS.facts) return false;
      facts.push(parsed);
      return true;
    },
    call(tool, argsJson) {
      if (typeof tool !== "string" || tool.length === 0 || tool.length > 200) {
        return { ok: false, error: { name: "InvalidToolCall", message: "a tool name is a non-empty string of at most 200 characters" } };
      }
      if (argsJson.length > MAX_CALL_ARGS_BYTES) {
        return { ok: false, error: { name: "ToolArgumentsTooLarge", message: `the arguments of ${tool} exceed ${MAX_CALL_ARGS_BYTES} bytes of JSON` } };
      }
      return transport(tool, argsJson);
    },
    mountDevice(fs, path = CONTROL_DEVICE_PATH) {
      fs.createDevice(path, createLineDevice(channel));
    },
  };
  return channel;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The JSON-lines device over a channel: messages in, call replies out. */
function createLineDevice(channel: ControlChannel): DeviceHandler {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let replies: Uint8Array = new Uint8Array(0);
  let replyOffset = 0;

  const handle = (line: Uint8Array): void => {
    let message: unknown;
    try {
      message = JSON.parse(decoder.decode(line));
    } catch {
      return; // not JSON: ignored, like any other malformed fact
    }
    if (typeof message !== "object" || message === null || (message as { kind?: unknown }).kind !== "call") {
      channel.report(message);
      return;
    }
    const { tool, args } = message as { tool?: unknown; args?: unknown };
    const reply = channel.call(typeof tool === "string" ? tool : "", JSON.stringify(args ?? {}));
    const text = reply.ok ? `{"ok":true,"value":${reply.value}}\n` : `${JSON.stringify(reply)}\n`;
    replies = concat(replies.subarray(replyOffset), encoder.encode(text));
    replyOffset = 0;
  };

  return {
    write(bytes) {
      let start = 0;
      for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, start)) {
        const piece = bytes.subarray(start, i);
        if (!overlong && pendingBytes + piece.length <= GUEST_FACT_LIMITS.messageBytes) handle(concat(...pending, piece));
        pending = [];
        pendingBytes = 0;
        overlong = false;
        start = i + 1;
      }
      const rest = bytes.subarray(start);
      if (rest.length === 0 || overlong) return;
      if (pendingBytes + rest.length > GUEST_FACT_LIMITS.messageBytes) {
        // Drop an over-long message as it arrives instead of buffering it.
        overlong = true;
        pending = [];
        pendingBytes = 0;
        return;
      }
      pending.push(rest.slice());
      pendingBytes += rest.length;
    },
    read(dst) {
      const n = Math.min(dst.length, replies.length - replyOffset);
      dst.set(replies.subarray(replyOffset, replyOffset + n));
      replyOffset += n;
      return n;
    },
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
