import type { MessagePort } from "node:worker_threads";
import { FileNotFoundError, type WorkspaceSource } from "@llm-wasm-sandbox/core";
import { messageOf } from "../classify-trap.js";
import { REPLY_SEQ, type ReadReply, type WorkerToHostMessage } from "./protocol.js";

/** Hooks of the main-thread side of a run's channel. */
export interface LazyReadServerOptions {
  readonly port: MessagePort;
  readonly flag: SharedArrayBuffer;
  readonly workspace: WorkspaceSource;
  /** Called once when the worker reports that the guest starts (wall clock starts). */
  readonly onStarted?: () => void;
}

/** A running server; `close()` detaches it and closes the port. */
export interface LazyReadServer {
  /** Workspace files the worker asked for, in order (for tests and tracing). */
  readonly reads: readonly string[];
  close(): void;
}

/**
 * Main-thread side of lazy reads: answers each `{ path }` with `workspace.read(path)`,
 * posts the bytes back (transferred, never shared), then bumps the flag the worker waits
 * on. A failed read is answered with an errno (ENOENT for a missing file, EIO otherwise).
 */
export function serveLazyReads(options: LazyReadServerOptions): LazyReadServer {
  const { port, workspace } = options;
  const seq = new Int32Array(options.flag);
  const reads: string[] = [];
  let closed = false;

  const reply = (message: ReadReply, transfer: ArrayBuffer[] = []): void => {
    if (closed) return;
    port.postMessage(message, transfer);
    Atomics.add(seq, REPLY_SEQ, 1);
    Atomics.notify(seq, REPLY_SEQ);
  };

  port.on("message", (message: WorkerToHostMessage) => {
    if (message.kind === "started") {
      options.onStarted?.();
      return;
    }
    reads.push(message.path);
    workspace.read(message.path).then(
      (bytes) => {
        const data = ownedCopy(bytes);
        reply({ id: message.id, ok: true, data }, [data.buffer as ArrayBuffer]);
      },
      (error: unknown) => {
        const errno = FileNotFoundError.isInstance(error) || isEnoent(error) ? "ENOENT" : "EIO";
        reply({ id: message.id, ok: false, errno, message: messageOf(error) });
      },
    );
  });
  // The listener must not keep the process alive on its own; the pending task does.
  port.unref();

  return {
    reads,
    close() {
      closed = true;
      port.removeAllListeners("message");
      port.close();
    },
  };
}

/**
 * A copy that owns its whole ArrayBuffer, so it can be transferred: the storage adapter
 * may keep (or share through Buffer's pool) the buffer it returned.
 */
function ownedCopy(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

function isEnoent(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
