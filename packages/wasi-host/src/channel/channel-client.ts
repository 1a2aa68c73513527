import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { LazyReadError } from "./lazy-read-error.js";
import { noHostFunctionsReply, REPLY_SEQ, type CallReply, type CallRequest, type ReadReply, type ReadRequest, type ToolCallReply } from "./protocol.js";

/** A synchronous file loader for the virtual filesystem: bytes of a workspace file. */
export type SyncLoader = (path: string) => Uint8Array;

/** Worker side of the channel: blocking requests to the main thread. */
export interface ChannelClient {
  /** Reads a workspace file. @throws LazyReadError (ENOENT / EIO) when the main thread could not. */
  read: SyncLoader;
  /** Calls a host function; blocks until the main thread answers. */
  call(tool: string, args: string): ToolCallReply;
}

// Waiting in slices keeps the thread responsive to termination (wall-clock timeout).
const WAIT_SLICE_MS = 50;
/** Request ids, unique in this thread: clients of successive runs may share one port (a warm session's). */
let nextId = 1;

/**
 * Worker side: posts a request to the main thread and blocks on the shared flag until
 * the reply has been posted back, then takes it with `receiveMessageOnPort`. The port
 * must have no `message` listener in this thread, or replies would be stolen.
 */
export function createChannelClient(port: MessagePort, flag: SharedArrayBuffer): ChannelClient {
  const seq = new Int32Array(flag);
  const request = <R extends { id: number }>(message: ReadRequest | CallRequest): R => {
    port.postMessage(message);
    for (;;) {
      // Read the sequence before looking: a reply posted after the look bumps it, so the
      // wait below returns at once instead of sleeping through it.
      const seen = Atomics.load(seq, REPLY_SEQ);
      const reply = takeReply<R>(port, message.id);
      if (reply !== null) return reply;
      Atomics.wait(seq, REPLY_SEQ, seen, WAIT_SLICE_MS);
    }
  };
  return {
    read(path) {
      const reply = request<ReadReply>({ kind: "read", id: nextId++, path });
      if (reply.ok) return reply.data;
      throw new LazyReadError(reply.errno, reply.message);
    },
    call(tool, args) {
      const { id: _id, ...reply } = request<CallReply>({ kind: "call", id: nextId++, tool, args });
      return reply;
    },
  };
}

/**
 * The client of a run without a channel (see `dispatchRun`: an empty workspace and no host
 * functions): nothing to read lazily, and every call answered here as the main thread would.
 */
export function createChannellessClient(): ChannelClient {
  return {
    read(path) {
      throw new LazyReadError("EIO", `no workspace file ${path} can be read in this run (its workspace was empty)`);
    },
    call: (tool) => noHostFunctionsReply(tool),
  };
}

/** Drains the port until the reply to `id` shows up; stale replies are dropped. */
function takeReply<R extends { id: number }>(port: MessagePort, id: number): R | null {
  for (;;) {
    const received = receiveMessageOnPort(port) as { message: R } | undefined;
    if (received === undefined) return null;
    if (received.message.id === id) return received.message;
  }
}
