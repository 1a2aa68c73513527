import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import inspectJs from "../../guest/inspect.js?raw";

// The formatter is plain JavaScript; a Node vm context stands in for QuickJS here.
const guest = createContext({});
interface Api {
  inspect(v: unknown): string;
  format(args: unknown[]): string;
  table(data: unknown, columns?: unknown): string;
  logLine(...args: unknown[]): string;
  thrownText(e: unknown): string;
}
const fmt = (runInContext(inspectJs, guest, { filename: "inspect.js" }) as () => Api)();
const show = (expr: string) => fmt.inspect(runInContext(`(${expr})`, guest));
const format = (expr: string) => fmt.format(runInContext(`(${expr})`, guest) as unknown[]);

describe("guest inspect", () => {
  it("formats primitives the way Node's util.inspect does", () => {
    expect(show("'a'")).toBe("'a'");
    expect(show("-0")).toBe("-0");
    expect(show("10n")).toBe("10n");
    expect(show("undefined")).toBe("undefined");
    expect(show("Symbol('s')")).toBe("Symbol(s)");
  });

  it("formats nested objects, arrays, Maps and Sets", () => {
    expect(show("{ a: 1, b: [1, 2, { c: 'x' }] }")).toBe("{ a: 1, b: [ 1, 2, { c: 'x' } ] }");
    expect(show("new Map([[1, 'a']])")).toBe("Map(1) { 1 => 'a' }");
    expect(show("new Set([1, 2])")).toBe("Set(2) { 1, 2 }");
    expect(show("[1, , 3]")).toBe("[ 1, <1 empty item>, 3 ]");
    expect(show("{ 'needs-quote': 1 }")).toBe("{ 'needs-quote': 1 }");
  });

  it("cuts depth, long arrays and circular references", () => {
    expect(show("{ a: { b: { c: { d: 1 } } } }")).toBe("{ a: { b: { c: [Object] } } }");
    expect(show("Array.from({ length: 150 }, (_, i) => i)")).toContain("... 50 more items");
    expect(show("(function () { var o = { x: 1 }; o.self = o; return o; })()")).toBe("{ x: 1, self: [Circular] }");
  });

  it("labels functions, classes and class instances", () => {
    expect(show("[function foo() {}, class Q {}]")).toBe("[ [Function: foo], [class: Q] ]");
    expect(show("new (class Point { constructor() { this.x = 1; } })()")).toBe("Point { x: 1 }");
    expect(show("Object.create(null)")).toBe("[Object: null prototype] {}");
  });

  it("prints errors with name, message and stack", () => {
    expect(show("(function () { var e = new TypeError('bad'); e.stack = '    at f (x.js:1:1)\\n'; return e; })()")).toBe("TypeError: bad\n    at f (x.js:1:1)");
  });

  it("applies printf-style format strings", () => {
    expect(format("['%s is %d years, %i, %f, %j, %o %%', 'Bob', 42.5, 3.9, '1.5', {a: 1}, [1]]")).toBe("Bob is 42.5 years, 3, 1.5, {\"a\":1}, [ 1 ] %");
    expect(format("['plain', 'text', 3]")).toBe("plain text 3");
    expect(format("['%s', { x: 1 }]")).toBe("{ x: 1 }");
  });

  it("gives console.log's line for its arguments and the text of any thrown value", () => {
    expect(fmt.logLine(...(runInContext("(['%s!', 'hi', { a: 1 }])", guest) as unknown[]))).toBe("hi! { a: 1 }");
    expect(fmt.thrownText(runInContext("(function () { var e = new RangeError('r'); e.stack = ''; return e; })()", guest))).toBe("RangeError: r");
    expect(fmt.thrownText(runInContext("({ code: 7 })", guest))).toBe("Uncaught { code: 7 }");
  });

  it("draws console.table like Node, with a Values column for primitives", () => {
    const rows = runInContext("([{ a: 1, b: 'x' }, { a: 22 }, 5])", guest);
    expect(fmt.table(rows)).toBe(
      [
        "┌─────────┬────┬─────┬────────┐",
        "│ (index) │ a  │ b   │ Values │",
        "├─────────┼────┼─────┼────────┤",
        "│ 0       │ 1  │ 'x' │        │",
        "│ 1       │ 22 │     │        │",
        "│ 2       │    │     │ 5      │",
        "└─────────┴────┴─────┴────────┘",
      ].join("\n"),
    );
    expect(fmt.table(7)).toBe("7");
  });
});
