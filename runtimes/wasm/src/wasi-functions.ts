/**
 * The `wasi_snapshot_preview1` functions wasi-host implements, read from the host itself
 * (an import object built over an empty filesystem) so the import check can never drift
 * from what a run actually provides.
 */
import { createGuestClock, createVirtualFs, createWasiPreview1, CappedSink } from "@llm-wasm-sandbox/wasi-host/driver";

let names: ReadonlySet<string> | null = null;

/** Names of the preview1 functions a guest may import. */
export function hostWasiFunctions(): ReadonlySet<string> {
  names ??= new Set(
    Object.keys(
      createWasiPreview1({
        memory: new WebAssembly.Memory({ initial: 0 }),
        fs: createVirtualFs(),
        args: [],
        env: {},
        clock: createGuestClock({ deterministic: true }),
        stdout: new CappedSink(0),
        stderr: new CappedSink(0),
        trace: false,
      }).imports,
    ),
  );
  return names;
}
