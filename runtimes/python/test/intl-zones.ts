/** Node's own time zones (ICU), the reference the zoneinfo tests compare against. */

/**
 * Sample zones: fixed and DST, half-hour and 45-minute offsets, negative and 30-minute DST,
 * southern hemisphere. Only zones whose rules the tzdata package and Node's ICU agree on
 * (newer tzdata releases changed Morocco, British Columbia and Alberta after the ICU in
 * Node 20 was built).
 */
export const SAMPLE_ZONES = [
  "America/New_York",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Berlin",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
  "Asia/Tehran",
  "Asia/Kolkata",
  "Europe/Moscow",
  "America/Sao_Paulo",
  "Asia/Tokyo",
  "Antarctica/Troll",
];

const formats = new Map<string, Intl.DateTimeFormat>();

/** UTC offset in seconds of `zone` at `at` (seconds since the epoch), as Node's Intl says. */
export function intlOffset(zone: string, at: number): number {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    formats.set(zone, f);
  }
  const text = f.formatToParts(new Date(at * 1000)).find((p) => p.type === "timeZoneName")?.value ?? "";
  const m = /^GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (m === null) throw new Error(`unexpected offset ${text}`);
  return m[1] === undefined ? 0 : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0));
}

/** The instants in [from, to) where Intl's offset for `zone` changes (found to the second). */
export function intlTransitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const step = 86_400;
  for (let t = from; t < to; t += step) {
    if (intlOffset(zone, t) === intlOffset(zone, Math.min(t + step, to))) continue;
    let lo = t;
    let hi = Math.min(t + step, to);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (intlOffset(zone, mid) === intlOffset(zone, lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}
