/**
 * The imports QuickJS-NG's emscripten glue hands to its WebAssembly module, rewired for
 * the sandbox: time comes from the run's GuestClock (frozen when deterministic) and is
 * always UTC, output goes to the run's capped sinks, the environment is the policy's,
 * heap growth honours the memory cap and reports refusals, and exit never touches the
 * worker's `process`.
 *
 * The glue is minified, so imports are known by their one-letter names; those names
 * belong to the pinned package version, and `checkImportShape` refuses any other shape
 * instead of mis-wiring it.
 */
import type { GuestClock } from "@llm-wasm-sandbox/wasi-host";

/** The emscripten import module name and the roles of its minified function imports. */
export const GLUE_MODULE = "a";
const ROLE = {
  fdWrite: "c",
  environGet: "e",
  environSizesGet: "f",
  setitimer: "j",
  resizeHeap: "k",
  localtime: "m",
  tzset: "n",
  dateNow: "p",
  clockTimeGet: "q",
  procExit: "s",
} as const;

const EXPECTED_FUNCTIONS = "bcdefghijklmnopqrstu";

/** What the patched imports need from the run. */
export interface GlueEnvironment {
  readonly memory: WebAssembly.Memory;
  readonly clock: GuestClock;
  readonly env: Readonly<Record<string, string>>;
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
  /** Called when a heap growth was refused by the memory cap. */
  onMemoryLimit(): void;
  /** Throws whatever ends the run with `code` (a ProcExit). */
  exit(code: number): never;
}

/**
 * Checks that the module imports exactly the functions this file knows how to wire.
 * @throws TypeError naming the mismatch (a QuickJS package version this driver was not written for).
 */
export function checkImportShape(module: WebAssembly.Module): void {
  if (checked.has(module)) return;
  const names = WebAssembly.Module.imports(module)
    .filter((i) => i.kind === "function")
    .map((i) => `${i.module}.${i.name}`)
    .sort()
    .join(",");
  const expected = [...EXPECTED_FUNCTIONS].map((n) => `${GLUE_MODULE}.${n}`).join(",");
  if (names !== expected) {
    throw new TypeError(`the QuickJS-NG module imports ${names}, not the emscripten glue this driver wires (${expected}) — install the pinned @jitl/quickjs-ng-wasmfile-release-sync version`);
  }
  checked.add(module);
}

/** Modules already checked in this thread (a worker runs many executions of one module). */
const checked = new WeakSet<WebAssembly.Module>();

type ImportFn = (...args: never[]) => unknown;

/** Replaces the glue's host-facing imports in place (`imports.a`). */
export function patchGlueImports(imports: WebAssembly.Imports, env: GlueEnvironment): void {
  const glue = imports[GLUE_MODULE] as Record<string, unknown> | undefined;
  if (glue === undefined) throw new TypeError(`the emscripten glue passed no "${GLUE_MODULE}" import module`);
  const originalResize = glue[ROLE.resizeHeap] as (size: number) => boolean | number;
  const { memory, clock } = env;
  const view = () => new DataView(memory.buffer);
  const encoder = new TextEncoder();
  const envStrings = Object.entries(env.env).map(([k, v]) => encoder.encode(`${k}=${v}\0`));

  const patched: Record<string, ImportFn> = {
    [ROLE.fdWrite]: (fd: number, iov: number, iovcnt: number, pnum: number) => {
      const dv = view();
      const bytes = new Uint8Array(memory.buffer);
      let total = 0;
      for (let i = 0; i < iovcnt; i++) {
        const ptr = dv.getUint32(iov + i * 8, true);
        const len = dv.getUint32(iov + i * 8 + 4, true);
        const chunk = bytes.slice(ptr, ptr + len);
        if (fd === 2) env.writeStderr(chunk);
        else env.writeStdout(chunk);
        total += len;
      }
      dv.setUint32(pnum, total, true);
      return 0;
    },
    [ROLE.environSizesGet]: (countPtr: number, sizePtr: number) => {
      const dv = view();
      dv.setUint32(countPtr, envStrings.length, true);
      dv.setUint32(sizePtr, envStrings.reduce((n, s) => n + s.length, 0), true);
      return 0;
    },
    [ROLE.environGet]: (environPtr: number, bufPtr: number) => {
      const dv = view();
      const bytes = new Uint8Array(memory.buffer);
      let offset = bufPtr;
      envStrings.forEach((s, i) => {
        dv.setUint32(environPtr + i * 4, offset, true);
        bytes.set(s, offset);
        offset += s.length;
      });
      return 0;
    },
    // QuickJS never arms alarms; a host timer here would outlive the run.
    [ROLE.setitimer]: () => 0,
    [ROLE.resizeHeap]: (requested: number) => {
      if (originalResize(requested)) return 1;
      // The glue over-allocates ~5-20% and gives up if that does not fit under the cap,
      // even when the exact request would; retry exactly before calling it a limit hit.
      const need = Math.ceil((requested >>> 0) / 65536) - memory.buffer.byteLength / 65536;
      try {
        if (need > 0) memory.grow(need);
      } catch {
        env.onMemoryLimit();
        return 0;
      }
      // Let the glue refresh its heap views on the grown buffer (a zero-page grow).
      return originalResize(requested) ? 1 : 0;
    },
    [ROLE.localtime]: (time: bigint | number, tmPtr: number) => writeTm(view(), tmPtr, Number(time)),
    [ROLE.tzset]: (timezonePtr: number, daylightPtr: number, stdNamePtr: number, dstNamePtr: number) => {
      const dv = view();
      dv.setUint32(timezonePtr, 0, true);
      dv.setInt32(daylightPtr, 0, true);
      const bytes = new Uint8Array(memory.buffer);
      bytes.set(encoder.encode("UTC\0"), stdNamePtr);
      bytes.set(encoder.encode("UTC\0"), dstNamePtr);
    },
    [ROLE.dateNow]: () => Number(clock.realtimeNs() / 1000n) / 1000,
    [ROLE.clockTimeGet]: (clockId: number, _precision: bigint, resultPtr: number) => {
      if (!(clockId >= 0 && clockId <= 3)) return 28; // EINVAL
      const ns = clockId === 0 ? clock.realtimeNs() : clock.monotonicNs();
      view().setBigInt64(resultPtr, ns, true);
      return 0;
    },
    [ROLE.procExit]: (code: number) => env.exit(code),
  };
  Object.assign(glue, patched);
}

/** Fills a wasm32 `struct tm` for `seconds` since the epoch, in UTC. */
function writeTm(dv: DataView, p: number, seconds: number): void {
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  const yday = Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000);
  const fields = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth(), year - 1900, d.getUTCDay(), yday, 0, 0];
  fields.forEach((v, i) => dv.setInt32(p + i * 4, Number.isFinite(v) ? v : 0, true));
}
