/**
 * The vendored utilities, mounted read-only under `/data_js` (guest/vendor/*.js, inlined
 * at build time). `csv`: an RFC 4180 parser and writer (quoted fields, embedded
 * delimiters, quotes and newlines, CRLF); use it with `requireVendor("csv")` or
 * `import { parse } from "csv"`.
 */
import csvJs from "../guest/vendor/csv.js?raw";

/** Every vendored utility, keyed by its file name under /data_js. */
export const VENDOR_FILES: Readonly<Record<string, string>> = Object.freeze({
  "csv.js": csvJs,
});
