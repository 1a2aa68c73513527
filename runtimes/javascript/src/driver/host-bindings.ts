/**
 * The `host` object the prelude is built over: a handful of functions implemented in
 * the worker. Failures the guest should see (missing file, read-only path, bad import)
 * become guest exceptions shaped like Node's fs errors; anything else (a fuel trap
 * unwinding through a nested call) propagates and ends the run.
 */
import type { QuickJSContext, QuickJSHandle, VmCallResult } from "quickjs-emscripten-core";
import { GuestFileError, type GuestFiles } from "./guest-files.js";
import { ModuleResolutionError, resolveModule } from "./module-resolution.js";

/** Sinks for the guest's console output. */
export interface OutputSinks {
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
}

const encoder = new TextEncoder();
type Impl = (...args: QuickJSHandle[]) => QuickJSHandle | undefined;

/**
 * Creates the host object (a fresh guest object; the caller passes it to the prelude).
 * @param onFatal Told about errors that must end the run (not guest-visible failures).
 */
export function createHostObject(
  vm: QuickJSContext,
  files: GuestFiles,
  out: OutputSinks,
  env: Readonly<Record<string, string>>,
  onFatal: (error: unknown) => void,
): QuickJSHandle {
  const host = vm.newObject();
  const define = (name: string, impl: Impl) => {
    const fn = vm.newFunction(name, (...args: QuickJSHandle[]): QuickJSHandle | VmCallResult<QuickJSHandle> | undefined => {
      try {
        return impl(...args);
      } catch (e) {
        if (e instanceof GuestThrow) return { error: e.handle };
        if (e instanceof GuestFileError || e instanceof ModuleResolutionError) return { error: guestError(vm, e) };
        // A trap or a host stack overflow unwinding through this call: quickjs-emscripten
        // would turn it into a guest exception, so the driver keeps the real cause.
        onFatal(e);
        throw e;
      }
    });
    vm.setProp(host, name, fn);
    fn.dispose();
  };
  const str = (h: QuickJSHandle | undefined) => (h === undefined ? "" : vm.getString(h));

  define("write", (fd, text) => {
    const bytes = encoder.encode(str(text));
    if (vm.getNumber(fd!) === 2) out.writeStderr(bytes);
    else out.writeStdout(bytes);
    return undefined;
  });
  define("readText", (p) => vm.newString(files.readText(str(p))));
  define("writeText", (p, text) => {
    files.writeText(str(p), str(text));
    return undefined;
  });
  define("exists", (p) => (files.exists(str(p)) ? vm.true : vm.false));
  define("list", (dir, recursive) => vm.newString(JSON.stringify(files.list(str(dir), vm.dump(recursive!) === true))));
  define("copy", (src, dst) => {
    files.copy(str(src), str(dst));
    return undefined;
  });
  define("remove", (p) => {
    files.remove(str(p));
    return undefined;
  });
  define("vendor", (name) => loadVendor(vm, files, str(name)));

  const envObj = vm.newObject();
  for (const [k, v] of Object.entries(env)) {
    const h = vm.newString(v);
    vm.setProp(envObj, k, h);
    h.dispose();
  }
  vm.setProp(host, "env", envObj);
  envObj.dispose();
  return host;
}

/** Evaluates a vendored utility as a module and returns its namespace (shared with `import`). */
function loadVendor(vm: QuickJSContext, files: GuestFiles, name: string): QuickJSHandle {
  const path = resolveModule("/app/user_code.js", name, (p) => files.isFile(p));
  const r = vm.evalCode(`import * as ns from ${JSON.stringify(path)};\nexport default ns;\n`, `${path}?requireVendor`, { type: "module" });
  if (r.error) throw new GuestThrow(r.error);
  const state = vm.getPromiseState(r.value);
  if (state.type === "fulfilled") return vm.getProp(state.value, "default");
  if (state.type === "rejected") throw new GuestThrow(state.error);
  throw new ModuleResolutionError(name, "a vendored utility must not use top-level await; import it instead");
}

/** A guest exception to rethrow as-is from a host function. */
export class GuestThrow extends Error {
  constructor(readonly handle: QuickJSHandle) {
    super("guest exception");
  }
}

function guestError(vm: QuickJSContext, e: GuestFileError | ModuleResolutionError): QuickJSHandle {
  const err = vm.newError({ name: e.name, message: e.message });
  if (e instanceof GuestFileError) {
    for (const [k, v] of [["code", e.code], ["syscall", e.syscall], ["path", e.path]] as const) {
      const h = vm.newString(v);
      vm.setProp(err, k, h);
      h.dispose();
    }
  }
  return err;
}
