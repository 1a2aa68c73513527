/**
 * Entry of a pool thread (built to `dist/thread/pool/thread-entry.js`; see `thread-pool.ts`):
 * loads the handler module named by its argument (`worker.js`, or a pre-started pool's
 * `start-hint/worker-entry.js`), then answers each request on the thread's port with the
 * export it names. A result that `moveResult` marked moves its buffers instead of copying
 * them; one that cannot be sent becomes an error answer, so every request is answered.
 * Each request read (or failed to read) is counted in the shared word of the setup message
 * first (see `ThreadSetup`); a request that cannot be read ends the thread with its error.
 */
import { parentPort } from "node:worker_threads";
import { unwrapMoved } from "./worker-move.js";
import type { ThreadReply, ThreadRequest, ThreadSetup } from "./thread-protocol.js";

const port = parentPort;
const handlersUrl = process.argv[2];
if (port === null || handlersUrl === undefined) throw new Error("pool/thread-entry.js runs only as a pool thread, with its handler module as argument");
const handlers = (await import(handlersUrl)) as Record<string, unknown>;

let taken: Int32Array | null = null;
port.on("message", (message: ThreadSetup | ThreadRequest) => {
  if (taken === null) {
    taken = new Int32Array((message as ThreadSetup).taken);
    return;
  }
  Atomics.add(taken, 0, 1);
  void answer(message as ThreadRequest);
});
// Its id unknown, the request cannot be answered: the thread ends, failing the task with this error.
port.on("messageerror", (error) => {
  if (taken !== null) Atomics.add(taken, 0, 1);
  throw new Error(`the pool thread could not read its task: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
});

async function answer({ id, name, task }: ThreadRequest): Promise<void> {
  let reply: ThreadReply;
  let transfer: readonly ArrayBuffer[] = [];
  try {
    const handler = handlers[name];
    if (typeof handler !== "function") throw new TypeError(`the pool thread's handler module has no export "${name}"`);
    const moved = unwrapMoved(await (handler as (task: unknown) => unknown)(task));
    reply = { id, ok: true, value: moved.value };
    transfer = moved.transfer;
  } catch (error) {
    reply = { id, ok: false, error };
  }
  try {
    port!.postMessage(reply, transfer as ArrayBuffer[]);
  } catch (error) {
    // Not cloneable: the task still gets an answer.
    port!.postMessage({ id, ok: false, error: new Error(`the pool thread could not send its answer: ${error instanceof Error ? error.message : String(error)}`) } satisfies ThreadReply);
  }
}
