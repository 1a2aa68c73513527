export { createLazyReadClient, type SyncLoader } from "./lazy-read-client.js";
export { serveLazyReads, type LazyReadServer, type LazyReadServerOptions } from "./lazy-read-server.js";
export { LazyReadError } from "./lazy-read-error.js";
export type { LazyReadErrno, WorkerToHostMessage, ReadRequest, ReadReply, StartedEvent } from "./protocol.js";
export { FLAG_BYTES, MEMORY_PAGES, REPLY_SEQ } from "./protocol.js";
