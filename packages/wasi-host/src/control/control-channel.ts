/**
 * The control channel of one run (worker side): how a runtime's own bootstrap tells the
 * host structured facts (the uncaught error, what happened to saved state) and calls host
 * functions — never through the guest's stdout/stderr, which stay the user's.
 *
 * Drivers with a JavaScript hand in the guest (QuickJS) call `report`/`call` directly.
 * Guests that only have file I/O get a device (`mountDevice`): the bootstrap opens it
 * before any user code runs — the first open unlinks it, so nobody else can — and speaks
 * JSON lines: a fact (`{"kind":"error",…}`), a call (`{"kind":"call","tool":…,"args":…}`)
 * or a manifest request (`{"kind":"tools"}`), whose reply line (`{"ok":true,"value":…}` /
 * `{"ok":false,"error":{…}}`) is then read from the same handle.
 *
 * Host functions ("code mode"): the worker counts calls against the run's budget and caps
 * the arguments before anything reaches the main thread; while a call is pending the
 * worker blocks (no guest instruction runs, so no fuel is spent) and the wall clock keeps
 * running (the main thread terminates the worker at the timeout).
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

/** Default cap on the JSON text of one call's arguments (policy `maxToolArgsBytes`). */
export const MAX_CALL_ARGS_BYTES = 1024 * 1024;

/** Default number of host-function calls a run may make (policy `maxToolCalls`). */
export const DEFAULT_MAX_TOOL_CALLS = 1000;

/** The worker-side control channel of a run (`ctx.control`). */
export interface ControlChannel {
  /** Records a fact; returns false (and drops it) when it is malformed or over the per-run cap. */
  report(fact: unknown): boolean;
  /**
   * Calls a host function with JSON arguments and blocks until the host answers (fuel does
   * not run meanwhile; the wall clock does). Over the run's call budget or argument cap the
   * call is refused here, without reaching the main thread.
   */
  call(tool: string, argsJson: string): ToolCallReply;
  /** Creates the channel's device at `path` (default CONTROL_DEVICE_PATH) in the run's filesystem. */
  mountDevice(fs: VirtualFs, path?: string): void;
  /** The facts recorded so far. */
  readonly facts: readonly GuestFact[];
  /** Bytes of JSON arguments one call may carry (policy `maxToolArgsBytes`): a stub need not read more. */
  readonly maxArgsBytes: number;
  /**
   * Starts the next execution on the same channel (a warm session's live interpreter keeps
   * its open device): the facts recorded so far are handed back and forgotten, and the
   * call budget starts again.
   */
  restart(): GuestFact[];
  /**
   * JSON text of the run's host functions (`[{ name, description, inputSchema, … }]`), which
   * drivers and bootstraps build the language's stubs from; `[]` without tools.
   */
  readonly tools: string;
}

/** Limits and data of a run's channel. */
export interface ControlChannelOptions {
  /** JSON text of the tool manifest; default `[]`. */
  readonly tools?: string;
  /** Calls the run may make; default DEFAULT_MAX_TOOL_CALLS. */
  readonly maxCalls?: number;
  /** Bytes of one call's JSON arguments; default MAX_CALL_ARGS_BYTES. */
  readonly maxArgsBytes?: number;
}

/** Creates a run's control channel over the blocking `call` transport to the main thread. */
export function createControlChannel(
  transport: (tool: string, argsJson: string) => ToolCallReply,
  options: ControlChannelOptions = {},
): ControlChannel {
  let facts: GuestFact[] = [];
  const maxCalls = options.maxCalls ?? DEFAULT_MAX_TOOL_CALLS;
  const maxArgsBytes = options.maxArgsBytes ?? MAX_CALL_ARGS_BYTES;
  let calls = 0;
  const channel: ControlChannel = {
    get facts() {
      return facts;
    },
    maxArgsBytes,
    tools: options.tools ?? "[]",
    restart() {
      const done = facts;
      facts = [];
      calls = 0;
      return done;
    },
    report(fact) {
      const parsed = parseGuestFact(fact);
      if (parsed === null || facts.length >= GUEST_FACT_LIMITS.facts) return false;
      facts.push(parsed);
      return true;
    },
    call(tool, argsJson) {
      if (typeof tool !== "string" || tool.length === 0 || tool.length > 200) {
        return failure("InvalidToolCall", "a tool name is a non-empty string of at most 200 characters");
      }
      // Counted and capped here, in the worker: a guest flooding calls or sending huge
      // arguments costs the main thread nothing once over its budget.
      if (calls >= maxCalls) {
        return failure("ToolBudgetExceeded", `this run may call host functions at most ${maxCalls} times (policy maxToolCalls)`);
      }
      if (argsJson.length > maxArgsBytes || Buffer.byteLength(argsJson) > maxArgsBytes) return argsTooLarge(tool, maxArgsBytes);
      calls += 1;
      return transport(tool, argsJson);
    },
    mountDevice(fs, path = CONTROL_DEVICE_PATH) {
      fs.createDevice(path, createLineDevice(channel, Math.max(GUEST_FACT_LIMITS.messageBytes, maxArgsBytes + CALL_LINE_OVERHEAD), maxArgsBytes));
    },
  };
  return channel;
}

/** Room on a call line for everything but the arguments (`{"kind":"call","tool":…,"args":…}`). */
const CALL_LINE_OVERHEAD = 1024;
/** How a call line starts; an over-long line that does gets an error reply instead of silence. */
const CALL_PREFIX = new TextEncoder().encode('{"kind":"call"');

function failure(name: string, message: string): ToolCallReply {
  return { ok: false, error: { name, message } };
}

function argsTooLarge(tool: string, maxArgsBytes: number): ToolCallReply {
  return failure("ToolArgumentsTooLarge", `the arguments of ${tool || "the call"} exceed ${maxArgsBytes} bytes of JSON (policy maxToolArgsBytes)`);
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The JSON-lines device over a channel: messages in, replies out. A line is a fact, a
 * call (`{"kind":"call","tool":…,"args":…}`) or a request for the tool manifest
 * (`{"kind":"tools"}`); calls and manifest requests get exactly one reply line each, so
 * a bootstrap reads its answer right after writing.
 */
function createLineDevice(channel: ControlChannel, maxLineBytes: number, maxArgsBytes: number): DeviceHandler {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let head: Uint8Array = new Uint8Array(0);
  let replies: Uint8Array = new Uint8Array(0);
  let replyOffset = 0;

  const queueReply = (text: string): void => {
    replies = concat(replies.subarray(replyOffset), encoder.encode(`${text}\n`));
    replyOffset = 0;
  };
  const handle = (line: Uint8Array): void => {
    let message: unknown;
    try {
      message = JSON.parse(decoder.decode(line));
    } catch {
      if (startsWith(line, CALL_PREFIX)) queueReply(JSON.stringify(failure("InvalidToolCall", "the call line is not valid JSON")));
      return; // otherwise ignored, like any other malformed fact
    }
    const kind = typeof message === "object" && message !== null ? (message as { kind?: unknown }).kind : undefined;
    if (kind === "tools") {
      queueReply(`{"ok":true,"value":${channel.tools}}`);
      return;
    }
    if (kind !== "call") {
      if (line.length <= GUEST_FACT_LIMITS.messageBytes) channel.report(message);
      return;
    }
    const { tool, args } = message as { tool?: unknown; args?: unknown };
    const reply = channel.call(typeof tool === "string" ? tool : "", JSON.stringify(args ?? {}));
    queueReply(reply.ok ? `{"ok":true,"value":${reply.value}}` : JSON.stringify(reply));
  };
  const endOverlong = (): void => {
    // Dropped as it arrived; a call still gets its answer, so the guest is not left reading nothing.
    if (startsWith(head, CALL_PREFIX)) queueReply(JSON.stringify(argsTooLarge("", maxArgsBytes)));
  };

  return {
    write(bytes) {
      let start = 0;
      for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, start)) {
        const piece = bytes.subarray(start, i);
        if (overlong) endOverlong();
        else if (pendingBytes + piece.length <= maxLineBytes) handle(concat(...pending, piece));
        else {
          head = concat(...pending, piece.subarray(0, CALL_PREFIX.length)).subarray(0, CALL_PREFIX.length);
          endOverlong();
        }
        pending = [];
        pendingBytes = 0;
        overlong = false;
        start = i + 1;
      }
      const rest = bytes.subarray(start);
      if (rest.length === 0 || overlong) return;
      if (pendingBytes + rest.length > maxLineBytes) {
        // Drop an over-long message as it arrives instead of buffering it.
        head = concat(...pending, rest.subarray(0, CALL_PREFIX.length)).slice(0, CALL_PREFIX.length);
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

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
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
