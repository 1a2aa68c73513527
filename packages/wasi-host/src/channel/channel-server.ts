import type { MessagePort } from "node:worker_threads";
import type { WorkspaceSource } from "@llm-wasm-sandbox/core";
import { FileNotFoundError } from "@llm-wasm-sandbox/core/errors";
import { messageOf } from "../classify-trap.js";
import { noHostFunctionsReply, REPLY_SEQ, type CallReply, type ReadReply, type ToolCallReply, type WorkerToHostMessage } from "./protocol.js";

/** A host-function call as the main thread receives it. */
export interface ToolCallRequest {
  readonly tool: string;
  /** JSON text of the arguments. */
  readonly args: string;
}

/**
 * Answers one host-function call. `signal` aborts when the run ends (timeout, cancel,
 * trap) while the call is pending. Must not throw: failures are `{ ok: false }` replies.
 */
export type ToolCallHandler = (call: ToolCallRequest, signal: AbortSignal) => Promise<ToolCallReply>;

/** Hooks of the main-thread side of a run's channel. */
export interface ChannelServerOptions {
  readonly port: MessagePort;
  readonly flag: SharedArrayBuffer;
  readonly workspace: WorkspaceSource;
  /** Host functions; without a handler every call fails with `NoHostFunctions`. */
  readonly onToolCall?: ToolCallHandler;
  /** The port outlives this run (a warm session's channel): `close()` detaches from it but leaves it open. */
  readonly keepPort?: boolean;
}

/** A running server; `close()` detaches it, aborts pending calls and closes the port (unless `keepPort`). */
export interface ChannelServer {
  /** Workspace files the worker asked for, in order (for tests and tracing). */
  readonly reads: readonly string[];
  close(): void;
}

/**
 * Main-thread side: answers reads with `workspace.read(path)` (the bytes transferred,
 * never shared; ENOENT for a missing file, EIO otherwise) and calls with `onToolCall`,
 * then bumps the flag the worker waits on.
 */
export function serveChannel(options: ChannelServerOptions): ChannelServer {
  const { port, workspace } = options;
  const seq = new Int32Array(options.flag);
  const reads: string[] = [];
  const calls = new AbortController();
  let closed = false;

  const reply = (message: ReadReply | CallReply, transfer: ArrayBuffer[] = []): void => {
    if (closed) return;
    port.postMessage(message, transfer);
    Atomics.add(seq, REPLY_SEQ, 1);
    Atomics.notify(seq, REPLY_SEQ);
  };

  port.on("message", (message: WorkerToHostMessage) => {
    if (message.kind === "call") {
      const handler = options.onToolCall ?? noHostFunctions;
      handler({ tool: message.tool, args: message.args }, calls.signal).then(
        (result) => reply({ id: message.id, ...result }),
        (error: unknown) => reply({ id: message.id, ok: false, error: { name: "HostError", message: messageOf(error) } }),
      );
      return;
    }
    reads.push(message.path);
    workspace.read(message.path).then(
      (bytes) => {
        const data = bytes.slice(); // owns its whole ArrayBuffer, so it can be transferred
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
      calls.abort(new Error("the run ended"));
      port.removeAllListeners("message");
      if (options.keepPort !== true) port.close();
    },
  };
}

async function noHostFunctions(call: ToolCallRequest): Promise<ToolCallReply> {
  return noHostFunctionsReply(call.tool);
}

function isEnoent(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
