/**
 * State persistence for JavaScript (`autoPersistGlobals`): the guest's `_state` object is
 * written as JSON to a file under the workspace's internal directory at the end of a
 * successful execution and loaded back into `_state` at the start of the next one.
 *
 * Only QuickJS can see guest values, so the (de)serializer is guest code (guest/state.js,
 * evaluated by the driver). Values JSON
 * cannot hold (functions, symbols, bigints, Maps, Sets, circular references, NaN/Infinity,
 * class instances) are reported in a `state` fact on the control channel, never dropped
 * silently; an unreadable saved state starts the run fresh and says so, never fails it.
 */
import { INTERNAL_DIR } from "@llm-wasm-sandbox/core/workspace-path";

/** Guest path of the JavaScript state file (hidden from listings by the umbrella). */
export const STATE_GUEST_PATH = `/app/${INTERNAL_DIR}/javascript_state.json`;

/** What `save` returns inside the guest, as JSON text. */
export interface SavedState {
  /** The JSON-safe copy of `_state`. */
  readonly state: unknown;
  /** The values dropped or changed, with why. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}
