/** Builds small wheels in memory for the vendor tests. */
import { strToU8, zipSync } from "fflate";

/** Files of a wheel beyond its dist-info, keyed by archive path. */
export type WheelFiles = Record<string, string | Uint8Array>;

/** A minimal wheel: the given files plus METADATA, WHEEL and RECORD. */
export function buildWheel(name: string, version: string, files: WheelFiles, opts: { requires?: string[]; purelib?: boolean } = {}): Uint8Array {
  const distInfo = `${name.replace(/-/g, "_")}-${version}.dist-info`;
  const meta = [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, ...(opts.requires ?? []).map((r) => `Requires-Dist: ${r}`)].join("\n");
  const all: Record<string, Uint8Array> = {};
  for (const [p, c] of Object.entries(files)) all[p] = typeof c === "string" ? strToU8(c) : c;
  all[`${distInfo}/METADATA`] = strToU8(`${meta}\n`);
  all[`${distInfo}/WHEEL`] = strToU8(`Wheel-Version: 1.0\nRoot-Is-Purelib: ${opts.purelib === false ? "false" : "true"}\nTag: py3-none-any\n`);
  all[`${distInfo}/RECORD`] = strToU8(Object.keys(all).map((p) => `${p},,`).join("\n"));
  return zipSync(all);
}

/** The conventional file name of a pure wheel. */
export function wheelName(name: string, version: string, tags = "py3-none-any"): string {
  return `${name.replace(/-/g, "_")}-${version}-${tags}.whl`;
}
