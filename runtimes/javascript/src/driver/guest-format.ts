/**
 * Formatting guest values for output. Strings, numbers and booleans are formatted on
 * the host (the common case costs no guest code at all); anything else goes through
 * the guest-side `inspect` (guest/inspect.js), compiled the first time it is needed,
 * since parsing it is most of what a hello world would otherwise cost.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import inspectJs from "../../guest/inspect.js?raw";

/** Formats values of one context. */
export class GuestFormat {
  private fns: { format: QuickJSHandle; inspect: QuickJSHandle; errorText: QuickJSHandle; table: QuickJSHandle } | null = null;

  constructor(private readonly vm: QuickJSContext) {}

  /** `console.log`'s line for these arguments (Node's rules, `%s`-style format strings included). */
  format(args: readonly QuickJSHandle[]): string {
    const simple: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const text = this.simple(args[i]!, i === 0 && args.length > 1);
      if (text === null) return this.viaGuest("format", args);
      simple.push(text);
    }
    return simple.join(" ");
  }

  /** `util.inspect`-style rendering of one value. */
  inspect(value: QuickJSHandle): string {
    return this.viaGuest("inspect", [value]);
  }

  /** `console.table`'s box drawing of `data` (optionally only `columns`). */
  table(data: QuickJSHandle, columns?: QuickJSHandle): string {
    return this.viaGuest("table", columns === undefined ? [data] : [data, columns]);
  }

  /** `Name: message` and the stack for errors; `Uncaught <inspect>` for other thrown values. */
  errorText(error: QuickJSHandle): string {
    return this.viaGuest("errorText", [error]);
  }

  /** Host-side text of a primitive, or null when the guest formatter is needed. */
  private simple(h: QuickJSHandle, mayBeFormatString: boolean): string | null {
    const { vm } = this;
    const type = vm.typeof(h);
    if (type === "string") {
      const s = vm.getString(h);
      return mayBeFormatString && s.includes("%") ? null : s;
    }
    if (type === "number") {
      const n = vm.getNumber(h);
      return Object.is(n, -0) ? "-0" : String(n);
    }
    if (type === "boolean" || type === "undefined") return String(vm.dump(h));
    return null;
  }

  private viaGuest(which: "format" | "inspect" | "errorText" | "table", args: readonly QuickJSHandle[]): string {
    const { vm } = this;
    this.fns ??= this.compile();
    const r = vm.callFunction(this.fns[which], vm.undefined, ...args);
    if (r.error) {
      r.error.dispose();
      return which === "errorText" ? fallbackErrorText(vm, args[0]!) : "[uninspectable value]";
    }
    // Released at once: a warm session's context lives on, and the text would stay in its heap.
    return r.value.consume((v) => vm.getString(v));
  }

  private compile() {
    const { vm } = this;
    const factory = vm.unwrapResult(vm.evalCode(inspectJs, "<sandbox>"));
    const api = vm.unwrapResult(vm.callFunction(factory, vm.undefined));
    factory.dispose();
    const fn = (name: string) => vm.getProp(api, name);
    const fns = { format: fn("logLine"), inspect: fn("inspect"), errorText: fn("thrownText"), table: fn("table") };
    api.dispose();
    return fns;
  }

}

/** When even the guest formatter throws (a hostile getter): what `dump` can say. */
function fallbackErrorText(vm: QuickJSContext, error: QuickJSHandle): string {
  const dumped: unknown = vm.dump(error);
  if (typeof dumped === "object" && dumped !== null) {
    const { name, message, stack } = dumped as { name?: unknown; message?: unknown; stack?: unknown };
    return `${String(name ?? "Error")}: ${String(message ?? "")}${typeof stack === "string" ? `\n${stack}` : ""}`;
  }
  return `Uncaught ${String(dumped)}`;
}
