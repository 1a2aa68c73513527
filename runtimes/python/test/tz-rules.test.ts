import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { compileZone, formatAbbr, ruleDay, type CompiledZone, type TzData, type ZoneLine } from "../src/tz/tz-rules.js";
import { writeTzif } from "../src/tz/tzif.js";
import { compileAll } from "../src/tz/write-zoneinfo.js";
import { intlOffset, SAMPLE_ZONES } from "./intl-zones.js";

const data = createRequire(import.meta.url)("tzdata") as TzData;
const zone = (name: string): CompiledZone => compileZone(data.zones[name] as readonly ZoneLine[], data);
const offsetAt = (z: CompiledZone, at: number): number => {
  let t = z.initial.utoff;
  for (const x of z.transitions) {
    if (x.at > at) break;
    t = x.utoff;
  }
  return t;
};


describe("zic-style compiler over the tzdata package", () => {
  it("reads rule days the way zic does", () => {
    expect(ruleDay("lastSun", 2024, 2)).toBe(31);
    expect(ruleDay("Sun>=8", 2024, 2)).toBe(10);
    expect(ruleDay("Sun>=1", 2024, 10)).toBe(3);
    expect(ruleDay("Sat<=25", 2024, 2)).toBe(23);
    expect(ruleDay("15", 2024, 2)).toBe(15);
    expect(() => ruleDay("firstSun", 2024, 2)).toThrow(/unsupported rule day/);
  });

  it("formats abbreviations: %s letters, %z numeric offsets, STD/DST pairs", () => {
    expect(formatAbbr("E%sT", "D", -14400, true)).toBe("EDT");
    expect(formatAbbr("%z", "", 12600, false)).toBe("+0330");
    expect(formatAbbr("%z", "", -10800, false)).toBe("-03");
    expect(formatAbbr("GMT/BST", "", 3600, true)).toBe("BST");
  });

  it("writes the POSIX TZ footers zic writes (DST rules for every instant after 2037)", () => {
    expect(zone("America/New_York").footer).toBe("EST5EDT,M3.2.0,M11.1.0");
    expect(zone("Europe/London").footer).toBe("GMT0BST,M3.5.0/1,M10.5.0");
    expect(zone("Europe/Dublin").footer).toBe("IST-1GMT0,M10.5.0,M3.5.0/1"); // negative DST in winter
    expect(zone("Australia/Sydney").footer).toBe("AEST-10AEDT,M10.1.0,M4.1.0/3");
    expect(zone("Australia/Lord_Howe").footer).toBe("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    expect(zone("America/Santiago").footer).toBe("<-04>4<-03>,M9.1.6/24,M4.1.6/24"); // Sun>=2 as Sat>=1 + 24h
    expect(zone("Pacific/Chatham").footer).toBe("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45");
    expect(zone("Asia/Kolkata").footer).toBe("IST-5:30");
  });

  it("matches Node's time zones for the sample zones every 9 days from 1970 to 2037", () => {
    const mismatches: string[] = [];
    for (const name of SAMPLE_ZONES) {
      const z = zone(name);
      for (let at = Date.UTC(1970, 0, 1) / 1000; at < Date.UTC(2037, 0, 1) / 1000; at += 9 * 86_400 + 3_601) {
        if (offsetAt(z, at) !== intlOffset(name, at)) mismatches.push(`${name}@${new Date(at * 1000).toISOString()}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("reads a year-only UNTIL (stored as December 31) as January 1: Jamaica left US rules at the start of 1984", () => {
    const z = zone("America/Jamaica");
    expect(offsetAt(z, Date.UTC(1984, 6, 1) / 1000)).toBe(-5 * 3600);
    expect(offsetAt(z, Date.UTC(1983, 6, 1) / 1000)).toBe(-4 * 3600);
  });

  it("writes TZif version 2 with the footer, and compiles every zone and link of the package", () => {
    const bytes = writeTzif(zone("America/New_York"));
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("TZif2")).toBe(true);
    expect(text.endsWith("\nEST5EDT,M3.2.0,M11.1.0\n")).toBe(true);
    const all = compileAll(data);
    expect(all.size).toBe(Object.keys(data.zones).length);
    expect(all.get("US/Eastern")).toEqual(bytes);
  });
});
