/**
 * The rewriter's stack of open blocks (see instrument-function.ts): per depth, what kind
 * of block, whether a branch targets it, whether a branch to it carries values, the region
 * where it opened and how far out any branch or exit inside it goes. Typed arrays indexed
 * by depth (0 = the function itself), grown on demand and reused across functions.
 */

export const FRAME_FUNC = 0;
export const FRAME_BLOCK = 1;
export const FRAME_LOOP = 2;
export const FRAME_IF = 3;
export const FRAME_TRY = 4;

/** See the module documentation. */
export class FrameStack {
  kind = new Uint8Array(256);
  targeted = new Uint8Array(256);
  /** 1 when the block type is empty (a branch to it carries no values). */
  empty = new Uint8Array(256);
  /** The region charging the code where the frame opened (-1: dead code, or a loop). */
  owner = new Int32Array(256);
  /** Shallowest depth any branch or exit inside the frame goes to (< its own depth: it has exits). */
  min = new Int32Array(256);
  /** 1 when the code after the frame's end must keep its own charge (a try, or inside one). */
  noMerge = new Uint8Array(256);

  /** Starts a function: depth 0 is its own frame. */
  reset(): void {
    this.kind[0] = FRAME_FUNC;
    this.targeted[0] = 0;
    this.empty[0] = 0;
    this.min[0] = 0;
  }

  /** Opens a frame at `depth` (the caller checks the nesting limit). */
  push(depth: number, kind: number, empty: boolean, owner: number, noMerge: boolean): void {
    if (depth >= this.kind.length) this.grow();
    this.kind[depth] = kind;
    this.targeted[depth] = 0;
    this.empty[depth] = empty ? 1 : 0;
    this.owner[depth] = owner;
    this.min[depth] = depth;
    this.noMerge[depth] = noMerge ? 1 : 0;
  }

  /** Marks a branch target (and an exit of the frames it leaves); true when the branch leaves the function (a return). */
  target(depth: number, label: number): boolean {
    const to = label < depth ? depth - label : 0;
    if (to < this.min[depth]!) this.min[depth] = to;
    if (label < depth) {
      this.targeted[to] = 1;
      return false;
    }
    return true;
  }

  /** Control leaves the function from `depth` (return, tail call, throw): every open frame is exited. */
  exit(depth: number): void {
    this.min[depth] = 0;
  }

  /**
   * The frame at `depth` ends: its exits become its parent's (a branch from inside to the
   * parent itself stays inside the parent). True when the code after its end can be
   * charged by the region where it opened: a block or if, not in a try, opened in code
   * that runs, and left only through its end.
   */
  close(depth: number): boolean {
    const min = this.min[depth]!;
    if (min < this.min[depth - 1]!) this.min[depth - 1] = min;
    return min >= depth && this.noMerge[depth] === 0 && this.owner[depth]! >= 0;
  }

  private grow(): void {
    const twice = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.kind = twice(this.kind);
    this.targeted = twice(this.targeted);
    this.empty = twice(this.empty);
    this.owner = twice(this.owner);
    this.min = twice(this.min);
    this.noMerge = twice(this.noMerge);
  }
}
