/**
 * `@llm-wasm-sandbox/wasi-host/driver` — the worker-side API a runtime's driver is
 * written against: the run's GuestContext, `defineDriver`, ProcExit, the emscripten
 * import layer, snapshot capture/restore, the control channel, and the virtual
 * filesystem and WASI preview1 builders for a driver that builds a world of its own (the
 * wasm runtime's components). Loading it in a worker loads neither the thread pool nor zod: a
 * driver that imported the package's main entry instead paid ~100–200 ms of module
 * loading in a new process's pool thread.
 */
export { defineDriver, type DefinedDriver, type DriverDefinition } from "./define-driver.js";
export { requireImage } from "./require-image.js";
export { ProcExit, type GuestContext, type GuestDriver, type GuestContinuation, type LiveInterpreter, type GuestClock, type MeteredImage, type MemoryImportSpec, type RunLimits } from "./types.js";
export { captureImage, restoreImage, readGlobals, writeGlobals, diffPages, PAGE_BYTES, type MemoryImage, type PageRun } from "./snapshot/memory-image.js";
export { CONTROL_DEVICE_PATH, MAX_CALL_ARGS_BYTES, type ControlChannel } from "./control/control-channel.js";
export type { ToolCallReply } from "./channel/protocol.js";
export type { VirtualFs, OpenFile, DirInode, FileInode, Inode } from "./vfs/index.js";
export { createVirtualFs, VfsError, type ErrnoName } from "./vfs/index.js";
export { createWasiPreview1, createGuestClock, CappedSink } from "./wasi/index.js";
export * as emscripten from "./emscripten/index.js";
