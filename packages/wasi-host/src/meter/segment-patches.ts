/**
 * The rewriter's patches: what is inserted around operators of a segment while its bytes
 * are copied (see instrument-function.ts). Recorded while scanning, applied in order by
 * `copySegment` once the segment's charge has been written.
 */
import type { ByteWriter } from "../wasm-binary/byte-writer.js";
import type { ChargeRegions } from "./charge-regions.js";
import type { FuelCode } from "./fuel-code.js";
import type { MeterStats } from "./instrument-function.js";

/** Numbers per recorded patch: at, after, kind, and two kind-specific values. */
export const PATCH_FIELDS = 5;
/** Patch kinds applied while copying a segment. */
export const PATCH_GROW = 0; // replace `memory.grow 0` by `call $grow`
export const PATCH_CALL = 1; // store fuel before, reload after (unless the local is dead until the next call or exit)
export const PATCH_STORE = 2; // store fuel before (control may leave the function, or go on in it)
export const PATCH_EXIT = 6; // store fuel before; control never goes on in the function (the local is dead after)
export const PATCH_BULK_MEMORY = 3; // charge the length operand (bytes) before the operation
export const PATCH_BULK_TABLE = 4; // charge the length operand (elements) before the operation
export const PATCH_BR_IF = 5; // forward br_if inside a segment: when taken, refund what its region charged for the code it skips

/** What copying a segment writes with. */
export interface SegmentOutput {
  readonly body: ByteWriter;
  readonly fuel: FuelCode;
  readonly regions: ChargeRegions;
  readonly stats: MeterStats;
}

/**
 * Copies `buf[start, end)` into `out.body`, applying the segment's recorded `patches`
 * (groups of PATCH_FIELDS numbers, in order), and empties `patches`.
 */
export function copySegment(patches: number[], buf: Uint8Array, start: number, end: number, out: SegmentOutput): void {
  const { body, fuel, regions, stats } = out;
  let from = start;
  // Charges happen only at segment starts, so once the local has been stored or
  // reloaded inside a segment it equals the global until the segment ends: a second
  // store (`call f; call g`, or a call then `return`) would write the same value.
  let synced = false;
  for (let i = 0; i < patches.length; i += PATCH_FIELDS) {
    const at = patches[i]!;
    const after = patches[i + 1]!;
    body.bytes(buf, from, at);
    switch (patches[i + 2]) {
      case PATCH_BR_IF: {
        // patches[i + 3] = the refund's id, patches[i + 4] = the label.
        const label = patches[i + 4]!;
        const start = body.length;
        const at = fuel.refundBranch(body, label);
        regions.setRefundSite(patches[i + 3]!, start, at, body.length, label);
        break;
      }
      case PATCH_BULK_MEMORY:
      case PATCH_BULK_TABLE:
        // Inserted before the operation; the charge changes the local, so a later store
        // in this segment is needed again.
        fuel.bulk(body, patches[i + 2] === PATCH_BULK_MEMORY);
        synced = false;
        break;
      case PATCH_GROW:
        body.bytes(fuel.growCall);
        stats.growSites++;
        break;
      case PATCH_CALL: {
        if (!synced) body.bytes(fuel.store);
        body.bytes(buf, at, after);
        // The reload is dead when the local is not read before it is next written or
        // control leaves: the next patch is another call (its store is skipped, the global
        // being exact already) or an exit. Nothing in between can read the local: guest
        // code cannot name it, charges and checks only start segments, refunds and bulk
        // charges are patches of their own, and a handler in this function that catches
        // an exception reloads from the global first.
        const next = i + PATCH_FIELDS < patches.length ? patches[i + PATCH_FIELDS + 2] : -1;
        if (next !== PATCH_CALL && next !== PATCH_EXIT) body.bytes(fuel.reload);
        stats.callSites++;
        synced = true;
        break;
      }
      default: // PATCH_STORE, PATCH_EXIT
        if (!synced) body.bytes(fuel.store);
        body.bytes(buf, at, after);
        synced = true;
    }
    from = after;
  }
  patches.length = 0;
  body.bytes(buf, from, end);
}
