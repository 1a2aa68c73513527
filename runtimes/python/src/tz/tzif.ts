/**
 * TZif version 2 files (RFC 8536), as `zoneinfo` reads them: a minimal version-1 block,
 * then the 64-bit block (transitions, local time types, abbreviations) and the POSIX TZ
 * footer for instants after the last transition. No leap seconds.
 */
import type { CompiledZone, LocalType } from "./tz-rules.js";

const encoder = new TextEncoder();

/** The TZif bytes of a compiled zone. */
export function writeTzif(zone: CompiledZone): Uint8Array {
  const types: LocalType[] = [];
  const typeIndex = (t: LocalType): number => {
    let i = types.findIndex((x) => x.utoff === t.utoff && x.isdst === t.isdst && x.abbr === t.abbr);
    if (i < 0) i = types.push({ utoff: t.utoff, isdst: t.isdst, abbr: t.abbr }) - 1;
    return i;
  };
  typeIndex(zone.initial); // type 0: local time before the first transition
  const indices = zone.transitions.map(typeIndex);
  let chars = "";
  const abbrIndex = new Map<string, number>();
  for (const t of types) {
    if (!abbrIndex.has(t.abbr)) {
      abbrIndex.set(t.abbr, encoder.encode(chars).length);
      chars += `${t.abbr}\0`;
    }
  }
  const charBytes = encoder.encode(chars);
  const out: number[] = [];
  const u8 = (v: number): void => void out.push(v & 0xff);
  const i32 = (v: number): void => {
    for (let s = 24; s >= 0; s -= 8) u8(v >> s);
  };
  const i64 = (v: number): void => {
    const big = BigInt.asUintN(64, BigInt(v));
    for (let s = 56n; s >= 0n; s -= 8n) u8(Number((big >> s) & 0xffn));
  };
  const header = (timecnt: number, typecnt: number, charcnt: number): void => {
    out.push(...encoder.encode("TZif2"), ...new Array<number>(15).fill(0));
    for (const n of [0, 0, 0, timecnt, typecnt, charcnt]) i32(n);
  };
  // Version-1 block: one type, no transitions (readers of version 2+ skip it).
  const first = types[0]!;
  const firstAbbr = encoder.encode(`${first.abbr}\0`);
  header(0, 1, firstAbbr.length);
  i32(first.utoff);
  u8(first.isdst ? 1 : 0);
  u8(0);
  out.push(...firstAbbr);
  // Version-2 block.
  header(zone.transitions.length, types.length, charBytes.length);
  for (const t of zone.transitions) i64(t.at);
  for (const i of indices) u8(i);
  for (const t of types) {
    i32(t.utoff);
    u8(t.isdst ? 1 : 0);
    u8(abbrIndex.get(t.abbr) ?? 0);
  }
  out.push(...charBytes);
  out.push(...encoder.encode(`\n${zone.footer}\n`));
  return Uint8Array.from(out);
}
