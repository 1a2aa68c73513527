/**
 * A character-device-like file: reads and writes go to a handler instead of bytes kept
 * in memory. The run's control channel uses one (see control/). A device can be opened
 * once: the first open unlinks it, so only the bootstrap that opens it before any user
 * code runs holds it; later opens of the path fail with ENOENT.
 */
import { FileInode, type MountInfo } from "./inode.js";

/** What a device does with the bytes a guest writes and where its reads come from. */
export interface DeviceHandler {
  /** Takes bytes the guest wrote (any split into writes). */
  write(bytes: Uint8Array): void;
  /** Fills `dst` with pending bytes; 0 when none are pending (end of file). */
  read(dst: Uint8Array): number;
}

/** A device node in the virtual tree; its size is always 0 and nothing of it is journaled. */
export class DeviceInode extends FileInode {
  readonly handler: DeviceHandler;

  constructor(ino: bigint, mount: MountInfo, nowNs: bigint, handler: DeviceHandler) {
    super(ino, mount, nowNs, new Uint8Array(0));
    this.handler = handler;
  }

  override read(dst: Uint8Array, _offset: number): number {
    return this.handler.read(dst);
  }

  override write(src: Uint8Array, _offset: number): number {
    this.handler.write(src);
    return src.length;
  }

  override truncate(_size: number): void {
    // A device has no size to change (O_TRUNC on open is harmless).
  }
}
