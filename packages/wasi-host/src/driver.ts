/**
 * `@llm-wasm-sandbox/wasi-host/driver` — the worker-side API a runtime's driver is
 * written against: the run's GuestContext, `defineDriver`, ProcExit, the emscripten
 * import layer, snapshot capture/restore and the control channel. Loading it in a worker
 * loads neither piscina nor zod.
 */
export { defineDriver, type DefinedDriver, type DriverDefinition } from "./define-driver.js";
export { requireImage } from "./require-image.js";
export { ProcExit, type GuestContext, type GuestDriver, type GuestContinuation, type LiveInterpreter, type GuestClock, type MeteredImage, type MemoryImportSpec, type RunLimits } from "./types.js";
export { captureImage, restoreImage, readGlobals, writeGlobals, diffPages, PAGE_BYTES, type MemoryImage, type PageRun } from "./snapshot/memory-image.js";
export { CONTROL_DEVICE_PATH, MAX_CALL_ARGS_BYTES, type ControlChannel } from "./control/control-channel.js";
export type { ToolCallReply } from "./channel/protocol.js";
export type { VirtualFs, OpenFile, DirInode, FileInode, Inode } from "./vfs/index.js";
export * as emscripten from "./emscripten/index.js";
