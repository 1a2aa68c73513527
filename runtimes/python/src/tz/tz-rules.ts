/**
 * The IANA rules in the `tzdata` npm package's JSON (the timezonecomplete layout), evaluated
 * the way `zic` does: a zone's lines in order, each with a standard offset and either no
 * daylight saving, a fixed amount, or a named rule set whose transitions are computed per
 * year. The result is the zone's transitions (UTC instant, offset, DST flag,
 * abbreviation) up to a horizon year, plus the POSIX TZ string for every later instant.
 *
 * One thing the JSON lost: a zone line's UNTIL time has no `w`/`s`/`u` suffix any more (the
 * date and time were stored as if they were UT). It is read as wall-clock time of the line
 * it ends, zic's default; the few lines whose source says `u` or `s` (mostly local mean
 * time ending in the 1800s) are off by that line's offset. The tests measure this against
 * Node's own time zones.
 */

/** `[stdoffMinutesWest, rules, format, untilMs | null]` as in the JSON. */
export type ZoneLine = readonly [string, string, string, string | null];
/** `[from, to, type, month, on, [h, m, s, suffix], saveMinutes, letter, ...]` as in the JSON. */
export type RuleLine = readonly [string, string, string, string, string, readonly [string, string, string, string | null], string, string, ...unknown[]];

/** The package's JSON: zones (arrays of lines, or the name of the zone a link points to) and rule sets. */
export interface TzData {
  readonly zones: Readonly<Record<string, readonly ZoneLine[] | string>>;
  readonly rules: Readonly<Record<string, readonly RuleLine[]>>;
  readonly version: string;
}

/** One period of local time. */
export interface LocalType {
  /** Seconds east of UTC. */
  readonly utoff: number;
  readonly isdst: boolean;
  readonly abbr: string;
}

/** A change of local time at `at` (seconds since the epoch, UTC). */
export interface Transition extends LocalType {
  readonly at: number;
}

/** A zone compiled: the type before the first transition, the transitions, the footer. */
export interface CompiledZone {
  readonly initial: LocalType;
  readonly transitions: readonly Transition[];
  /** POSIX TZ string valid after the last transition ("" when not expressible). */
  readonly footer: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY = 86_400;

/** A rule's moment: the day it names in a year and its time of day with the suffix. */
interface RuleMoment {
  readonly year: number;
  readonly rule: RuleLine;
  /** Seconds since the epoch of local midnight of the day, read as UT. */
  readonly day: number;
  /** Seconds after that midnight. */
  readonly time: number;
  readonly suffix: "w" | "s" | "u";
  readonly save: number;
  readonly letter: string;
}

/** Day of the month a rule's ON field names in `year`/`month` (0-based month). */
export function ruleDay(on: string, year: number, month: number): number {
  const dim = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const dow = (d: number): number => new Date(Date.UTC(year, month, d)).getUTCDay();
  if (/^\d+$/.test(on)) return Number(on);
  const last = /^last(\w{3})$/.exec(on);
  if (last) {
    const want = DAYS.indexOf(last[1] ?? "");
    for (let d = dim; d > 0; d--) if (dow(d) === want) return d;
  }
  const rel = /^(\w{3})([<>]=)(\d+)$/.exec(on);
  if (rel) {
    const want = DAYS.indexOf(rel[1] ?? "");
    const base = Number(rel[3]);
    const step = rel[2] === ">=" ? 1 : -1;
    for (let d = base; d >= 1 - 7 && d <= dim + 7; d += step) if (((dow(d) % 7) + 7) % 7 === want) return d;
  }
  throw new Error(`unsupported rule day ${JSON.stringify(on)}`);
}

function moments(rules: readonly RuleLine[], fromYear: number, toYear: number): RuleMoment[] {
  const out: RuleMoment[] = [];
  for (const rule of rules) {
    const from = Number(rule[0]);
    const to = rule[1] === "only" ? from : rule[1] === "max" ? Number.POSITIVE_INFINITY : Number(rule[1]);
    const month = MONTHS.indexOf(rule[3]);
    const [h, m, s, suffix] = rule[5];
    for (let year = Math.max(from, fromYear); year <= Math.min(to, toYear); year++) {
      const day = Date.UTC(year, month, ruleDay(rule[4], year, month)) / 1000;
      out.push({
        year,
        rule,
        day,
        time: Number(h) * 3600 + Number(m) * 60 + Number(s),
        suffix: suffix === "u" || suffix === "g" || suffix === "z" ? "u" : suffix === "s" ? "s" : "w",
        save: Number(rule[6]) * 60,
        letter: rule[7] === "-" ? "" : rule[7],
      });
    }
  }
  return out;
}

/** The UTC instant of a rule moment under standard offset `std`, with `save` in effect before it. */
function instantOf(m: RuleMoment, std: number, save: number): number {
  const local = m.day + m.time;
  return m.suffix === "u" ? local : m.suffix === "s" ? local - std : local - std - save;
}

/** zic's FORMAT: `%s` takes the letter, `%z` the numeric offset, `A/B` picks by DST. */
export function formatAbbr(format: string, letter: string, utoff: number, isdst: boolean): string {
  if (format.includes("/")) {
    const [std, dst] = format.split("/");
    return (isdst ? dst : std) ?? format;
  }
  if (format.includes("%z")) return format.replace("%z", numericOffset(utoff));
  return format.replace("%s", letter);
}

function numericOffset(utoff: number): string {
  const sign = utoff < 0 ? "-" : "+";
  const a = Math.abs(utoff);
  const hh = String(Math.floor(a / 3600)).padStart(2, "0");
  const mm = Math.floor((a % 3600) / 60);
  const ss = a % 60;
  return `${sign}${hh}${mm || ss ? String(mm).padStart(2, "0") : ""}${ss ? String(ss).padStart(2, "0") : ""}`;
}

/**
 * A line's UNTIL as local seconds. The JSON stores a year-only UNTIL ("1984", meaning the
 * start of 1984) as December 31 of that year at 00:00; every such value is read as January 1.
 */
function untilOf(local: number): number {
  const d = new Date(local * 1000);
  return d.getUTCMonth() === 11 && d.getUTCDate() === 31 && local % DAY === 0 ? Date.UTC(d.getUTCFullYear(), 0, 1) / 1000 : local;
}

/** Seconds east of UTC of a line's STDOFF (the JSON stores minutes west). */
function stdOffset(line: ZoneLine): number {
  return Math.round(-Number(line[0]) * 60);
}

function fixedSave(field: string): number | null {
  if (field === "-") return 0;
  const m = /^(-)?(\d+):(\d\d)$/.exec(field);
  return m ? (m[1] ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : null;
}

/**
 * Compiles one zone's lines into transitions up to the end of `horizonYear` and a footer.
 * @throws Error for a rule set the data does not define or a day rule it cannot read.
 */
export function compileZone(lines: readonly ZoneLine[], data: TzData, horizonYear = 2037): CompiledZone {
  const transitions: Transition[] = [];
  let initial: LocalType | null = null;
  let start = Number.NEGATIVE_INFINITY;
  let save = 0;
  let letter = "";
  const push = (at: number, t: LocalType): void => {
    if (initial === null) {
      initial = t;
      return;
    }
    const prev = transitions.at(-1) ?? initial;
    if (prev.utoff === t.utoff && prev.isdst === t.isdst && prev.abbr === t.abbr) return;
    if (transitions.length > 0 && transitions.at(-1)!.at >= at) transitions.pop(); // a later line replaced it at the same instant
    transitions.push({ at, ...t });
  };
  for (const line of lines) {
    const std = stdOffset(line);
    const format = line[2];
    const untilLocal = line[3] === null ? null : untilOf(Number(line[3]) / 1000);
    const fixed = fixedSave(line[1]);
    if (fixed !== null) {
      save = fixed;
      letter = "";
      push(start, { utoff: std + save, isdst: save !== 0, abbr: formatAbbr(format, "", std + save, save !== 0) });
    } else {
      const rules = data.rules[line[1]];
      if (rules === undefined) throw new Error(`unknown rule set ${line[1]}`);
      const toYear = untilLocal === null ? horizonYear : Math.min(horizonYear, new Date(untilLocal * 1000).getUTCFullYear() + 1);
      const ms = moments(rules, 1800, toYear).sort((a, b) => a.day + a.time - (b.day + b.time));
      // The state at the line's start: the last rule moment at or before it (none: save 0 and the letter of the earliest save-0 rule).
      let s = 0;
      let l = ms.find((m) => m.save === 0)?.letter ?? "";
      for (const m of ms) {
        if (instantOf(m, std, s) > start) break;
        s = m.save;
        l = m.letter;
      }
      save = s;
      letter = l;
      push(start, { utoff: std + save, isdst: save !== 0, abbr: formatAbbr(format, letter, std + save, save !== 0) });
      for (const m of ms) {
        const at = instantOf(m, std, save);
        if (at <= start) continue;
        if (untilLocal !== null && at >= untilLocal - std - save) break;
        save = m.save;
        letter = m.letter;
        push(at, { utoff: std + save, isdst: save !== 0, abbr: formatAbbr(format, letter, std + save, save !== 0) });
      }
    }
    if (untilLocal === null) {
      return { initial: initial!, transitions, footer: footerOf(line, data, std, save) };
    }
    start = untilLocal - std - save;
  }
  throw new Error("a zone's last line must have no UNTIL");
}

/** The POSIX TZ string of a zone's last line ("" when its rules cannot be written as one). */
function footerOf(line: ZoneLine, data: TzData, std: number, save: number): string {
  const fixed = fixedSave(line[1]);
  if (fixed !== null) return `${quote(formatAbbr(line[2], "", std + fixed, fixed !== 0))}${posixOffset(std + fixed)}`;
  const ongoing = (data.rules[line[1]] ?? []).filter((r) => r[1] === "max");
  if (ongoing.length === 0) return `${quote(formatAbbr(line[2], "", std + save, save !== 0))}${posixOffset(std + save)}`;
  const dstRule = ongoing.find((r) => Number(r[6]) !== 0);
  const stdRule = ongoing.find((r) => Number(r[6]) === 0);
  if (ongoing.length !== 2 || dstRule === undefined || stdRule === undefined) return "";
  const dstSave = Number(dstRule[6]) * 60;
  const stdName = quote(formatAbbr(line[2], stdRule[7] === "-" ? "" : stdRule[7], std, false));
  const dstName = quote(formatAbbr(line[2], dstRule[7] === "-" ? "" : dstRule[7], std + dstSave, true));
  const start = posixDate(dstRule, std, 0);
  const end = posixDate(stdRule, std, dstSave);
  if (start === null || end === null) return "";
  return `${stdName}${posixOffset(std)}${dstName}${dstSave === 3600 ? "" : posixOffset(std + dstSave)},${start},${end}`;
}

/** A rule's date and wall-clock time (under `saveBefore`) in POSIX form, or null. */
function posixDate(rule: RuleLine, std: number, saveBefore: number): string | null {
  const month = MONTHS.indexOf(rule[3]) + 1;
  const [h, m, s, suffix] = rule[5];
  let time = Number(h) * 3600 + Number(m) * 60 + Number(s);
  if (suffix === "u" || suffix === "g" || suffix === "z") time += std + saveBefore;
  else if (suffix === "s") time += saveBefore;
  const on = rule[4];
  let date: string;
  const last = /^last(\w{3})$/.exec(on);
  const rel = /^(\w{3})>=(\d+)$/.exec(on);
  if (last) date = `M${month}.5.${DAYS.indexOf(last[1] ?? "")}`;
  else if (rel) {
    const n = Number(rel[2]);
    const shift = (n - 1) % 7; // Sun>=2 is (Sat>=1) + 1 day
    date = `M${month}.${Math.floor((n - 1) / 7) + 1}.${(DAYS.indexOf(rel[1] ?? "") - shift + 7) % 7}`;
    time += shift * DAY;
  } else if (/^\d+$/.test(on) && month !== 2) {
    const doy = (Date.UTC(2001, month - 1, Number(on)) - Date.UTC(2001, 0, 0)) / 1000 / DAY; // a non-leap year: Jn counts no Feb 29
    date = `J${doy}`;
  } else return null;
  return time === 7200 ? date : `${date}/${posixTime(time)}`;
}

function posixTime(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const a = Math.abs(seconds);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  return `${sign}${h}${m || s ? `:${String(m).padStart(2, "0")}` : ""}${s ? `:${String(s).padStart(2, "0")}` : ""}`;
}

/** POSIX offsets are hours west: UTC-5 is "5", UTC+3 is "-3". */
function posixOffset(utoff: number): string {
  return posixTime(-utoff);
}

function quote(abbr: string): string {
  return /^[A-Za-z]{3,}$/.test(abbr) ? abbr : `<${abbr}>`;
}
