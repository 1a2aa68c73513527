export {
  readHostFile,
  readHostFileSync,
  hostFileOpenFlags,
  type ReadHostFileOptions,
  type HostFileStat,
  type SyncFileApi,
} from "./read-host-file.js";
export { HostFileError, type HostFileProblem } from "@llm-wasm-sandbox/core/errors";
