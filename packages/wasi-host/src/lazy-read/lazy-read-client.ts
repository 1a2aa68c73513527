import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { LazyReadError } from "./lazy-read-error.js";
import { REPLY_SEQ, type ReadReply, type ReadRequest } from "./protocol.js";

/** A synchronous file loader for the virtual filesystem: bytes of a workspace file. */
export type SyncLoader = (path: string) => Uint8Array;

// Waiting in slices keeps the thread responsive to termination (wall-clock timeout).
const WAIT_SLICE_MS = 50;

/**
 * Worker side of lazy reads: posts `{ path }` to the main thread and blocks on the shared
 * flag until the reply has been posted back, then takes it with `receiveMessageOnPort`.
 * The port must have no `message` listener in this thread, or replies would be stolen.
 *
 * @throws LazyReadError with errno ENOENT / EIO when the main thread reports a failure.
 */
export function createLazyReadClient(port: MessagePort, flag: SharedArrayBuffer): SyncLoader {
  const seq = new Int32Array(flag);
  let nextId = 1;
  return (path) => {
    const id = nextId++;
    const seen = Atomics.load(seq, REPLY_SEQ);
    const request: ReadRequest = { kind: "read", id, path };
    port.postMessage(request);
    for (;;) {
      const reply = takeReply(port, id);
      if (reply !== null) return unwrap(reply);
      Atomics.wait(seq, REPLY_SEQ, seen, WAIT_SLICE_MS);
      const again = takeReply(port, id);
      if (again !== null) return unwrap(again);
    }
  };
}

/** Drains the port until the reply to `id` shows up; stale replies are dropped. */
function takeReply(port: MessagePort, id: number): ReadReply | null {
  for (;;) {
    const received = receiveMessageOnPort(port) as { message: ReadReply } | undefined;
    if (received === undefined) return null;
    if (received.message.id === id) return received.message;
  }
}

function unwrap(reply: ReadReply): Uint8Array {
  if (reply.ok) return reply.data;
  throw new LazyReadError(reply.errno, reply.message);
}
