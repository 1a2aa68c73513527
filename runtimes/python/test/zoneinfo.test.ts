import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intlOffset, intlTransitions, SAMPLE_ZONES } from "./intl-zones.js";
import { pythonHarness } from "./helpers.js";

let h: ReturnType<typeof pythonHarness>;
beforeAll(() => {
  h = pythonHarness();
});
afterAll(async () => {
  await h?.close();
});

const utc = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 1000;

describe("zoneinfo inside the sandbox", () => {
  it("agrees with Node's time zones in the past, at DST edges (±1 s) and after 2037", async () => {
    const cases: [string, number][] = [];
    for (const zone of SAMPLE_ZONES) {
      for (const at of [utc(1975, 6, 1), utc(1990, 1, 15), utc(2040, 7, 1), utc(2051, 1, 1), utc(2099, 12, 31)]) cases.push([zone, at]);
      for (const year of [2024, 2045]) {
        for (const edge of intlTransitions(zone, utc(year, 1, 1), utc(year + 1, 1, 1))) cases.push([zone, edge - 1], [zone, edge]);
      }
    }
    const code = [
      "import json, zoneinfo",
      "from datetime import datetime",
      `cases = json.loads(${JSON.stringify(JSON.stringify(cases))})`,
      "print(json.dumps([int(datetime.fromtimestamp(t, zoneinfo.ZoneInfo(z)).utcoffset().total_seconds()) for z, t in cases]))",
    ].join("\n");
    const { raw } = await h.run(code);
    expect(raw.stderr).toBe("");
    const got = JSON.parse(raw.stdout) as number[];
    const wrong = cases.flatMap(([zone, at], i) => (got[i] === intlOffset(zone, at) ? [] : [`${zone} ${new Date(at * 1000).toISOString()}: ${got[i]} ≠ ${intlOffset(zone, at)}`]));
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(100);
  });

  it("names zones, follows links, marks DST, lists the available zones and cannot modify them", async () => {
    const { raw } = await h.run(
      [
        "import zoneinfo",
        "from datetime import datetime",
        'ny = datetime(2024, 7, 4, 12, tzinfo=zoneinfo.ZoneInfo("US/Eastern"))',
        'print(ny.tzname(), ny.dst(), datetime(2024, 1, 4, tzinfo=zoneinfo.ZoneInfo("America/New_York")).tzname())',
        'print(len(zoneinfo.available_timezones()) > 500, "Europe/Paris" in zoneinfo.available_timezones())',
        "try:",
        '    open("/usr/share/zoneinfo/UTC", "wb")',
        "except OSError as e:",
        '    print("read-only", type(e).__name__)',
        "try:",
        '    zoneinfo.ZoneInfo("Mars/Olympus_Mons")',
        "except zoneinfo.ZoneInfoNotFoundError:",
        '    print("unknown zone refused")',
      ].join("\n"),
    );
    expect(raw.stdout).toBe("EDT 1:00:00 EST\nTrue True\nread-only OSError\nunknown zone refused\n");
  });
});
