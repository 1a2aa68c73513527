/**
 * The `tools` global (host functions): one host function that passes a call to the run's
 * control channel and returns the reply line, and the guest-side stubs (guest/tools.js)
 * built over it from the manifest. Only JSON text crosses: no host object reaches QuickJS.
 */
import type { ControlChannel } from "@llm-wasm-sandbox/wasi-host/driver";
import type { QuickJSContext } from "quickjs-emscripten-core";
import toolsJs from "../../guest/tools.js?raw";
import type { HostFunctions } from "./host-functions.js";

/** Defines `tools` on the global object when the run has host functions. */
export function installTools(vm: QuickJSContext, host: HostFunctions, control: ControlChannel): void {
  if (control.tools === "[]") return;
  const holder = vm.newObject();
  host.define(holder, "call", (name, args) => {
    const reply = control.call(vm.getString(name!), vm.getString(args!));
    // The value alone (no wrapper for QuickJS to parse on every call); an error is marked
    // by U+0001, which no JSON text starts with.
    return vm.newString(reply.ok ? reply.value : `\u0001${JSON.stringify(reply.error)}`);
  });
  const call = vm.getProp(holder, "call");
  const build = vm.unwrapResult(vm.evalCode(toolsJs, "<sandbox>"));
  const manifest = vm.newString(control.tools);
  const tools = vm.unwrapResult(vm.callFunction(build, vm.undefined, call, manifest));
  vm.setProp(vm.global, "tools", tools);
  for (const h of [tools, manifest, build, call, holder]) h.dispose();
}
