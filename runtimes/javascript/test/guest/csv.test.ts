import { describe, expect, it } from "vitest";
import csvJs from "../../guest/vendor/csv.js?raw";
import { VENDOR_FILES } from "../../src/vendor-files.js";

interface Csv {
  parse(text: string, options?: Record<string, unknown>): unknown[];
  stringify(rows: unknown[], options?: Record<string, unknown>): string;
}

// The vendored module is plain ESM; Node can import it from a data: URL.
const csv = (await import(`data:text/javascript,${encodeURIComponent(csvJs)}`)) as Csv;

describe("vendored csv", () => {
  it("is mounted as /data_js/csv.js", () => {
    expect(VENDOR_FILES["csv.js"]).toBe(csvJs);
  });

  it("parses quoted fields with delimiters, quotes, newlines and CRLF", () => {
    const text = 'name,note\r\n"Smith, J","said ""hi"""\r\nDoe,"two\nlines"\r\n';
    expect(csv.parse(text)).toEqual([
      { name: "Smith, J", note: 'said "hi"' },
      { name: "Doe", note: "two\nlines" },
    ]);
  });

  it("parses without a header, with another delimiter, and casts values", () => {
    expect(csv.parse("a;b\n1;x\n", { header: false, delimiter: ";" })).toEqual([["a", "b"], ["1", "x"]]);
    expect(csv.parse("n,ok,empty\n1.5,true,\n", { cast: true })).toEqual([{ n: 1.5, ok: true, empty: null }]);
  });

  it("rejects an unterminated quoted field", () => {
    expect(() => csv.parse('a\n"open')).toThrow(/unterminated/);
  });

  it("stringifies objects and arrays, quoting where needed, and round-trips", () => {
    const rows = [{ a: 1, b: 'x,"y"' }, { a: 2, b: "line\nbreak" }];
    const text = csv.stringify(rows);
    expect(text).toBe('a,b\n1,"x,""y"""\n2,"line\nbreak"\n');
    expect(csv.parse(text, { cast: true })).toEqual(rows);
    expect(csv.stringify([[1, 2]], { header: ["x", "y"] })).toBe("x,y\n1,2\n");
  });
});
