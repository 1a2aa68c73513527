export { createChannelClient, type ChannelClient, type SyncLoader } from "./channel-client.js";
export { serveChannel, type ChannelServer, type ChannelServerOptions, type ToolCallHandler, type ToolCallRequest } from "./channel-server.js";
export { LazyReadError } from "./lazy-read-error.js";
export type { LazyReadErrno, WorkerToHostMessage, ReadRequest, ReadReply, CallRequest, CallReply, ToolCallReply } from "./protocol.js";
export { FLAG_BYTES, MEMORY_PAGES, REPLY_SEQ, FUEL_SPENT } from "./protocol.js";
