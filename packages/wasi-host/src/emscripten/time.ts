/**
 * Emscripten's JavaScript-side time imports (`_localtime_js`, `_mktime_js`, `strftime`,
 * …) written against the run's GuestClock. The guest always lives in UTC: the host's
 * time zone is neither leaked nor a source of non-determinism.
 */
import type { GuestClock } from "../types.js";
import type { GuestMemory } from "./guest-memory.js";

// struct tm on wasm32: nine ints, then long tm_gmtoff and const char* tm_zone.
const TM_SEC = 0;
const TM_MIN = 4;
const TM_HOUR = 8;
const TM_MDAY = 12;
const TM_MON = 16;
const TM_YEAR = 20;
const TM_WDAY = 24;
const TM_YDAY = 28;
const TM_ISDST = 32;
const TM_GMTOFF = 36;

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Fields of a broken-down time, as in `struct tm`. */
export interface BrokenDownTime {
  sec: number;
  min: number;
  hour: number;
  mday: number;
  mon: number;
  year: number;
  wday: number;
  yday: number;
}

/** The time imports of an emscripten module; `malloc` is needed only by `_tzset_js`. */
export function createTimeImports(mem: GuestMemory, clock: GuestClock, malloc: () => ((size: number) => number) | undefined) {
  return {
    emscripten_date_now: (): number => Number(clock.realtimeNs() / 1000n) / 1000,
    emscripten_get_now: (): number => Number(clock.monotonicNs() / 1000n) / 1000,
    _emscripten_get_now_is_monotonic: (): number => 1,
    // Two ABIs: older emscripten passes a `char* tzname[2]` to fill with malloc'ed
    // strings, newer passes the two name buffers themselves (17 bytes each).
    _tzset_js: (timezonePtr: number, daylightPtr: number, namesPtr: number, dstNamePtr?: number): void => {
      mem.setI32(timezonePtr, 0);
      mem.setI32(daylightPtr, 0);
      if (dstNamePtr !== undefined) {
        mem.writeCString(namesPtr, "UTC", 17);
        mem.writeCString(dstNamePtr, "UTC", 17);
        return;
      }
      const alloc = malloc();
      if (alloc === undefined) return;
      const p = alloc(8);
      if (p === 0) return;
      mem.writeCString(p, "UTC", 4);
      mem.writeCString(p + 4, "UTC", 4);
      mem.setU32(namesPtr, p);
      mem.setU32(namesPtr + 4, p + 4);
    },
    _localtime_js: (time: bigint, tmPtr: number): void => writeTm(mem, tmPtr, time),
    _gmtime_js: (time: bigint, tmPtr: number): void => writeTm(mem, tmPtr, time),
    _mktime_js: (tmPtr: number): bigint => normalizeTm(mem, tmPtr),
    _timegm_js: (tmPtr: number): bigint => normalizeTm(mem, tmPtr),
    strftime: (s: number, maxsize: number, format: number, tmPtr: number): number => {
      const out = formatTime(mem.cstring(format), readTm(mem, tmPtr));
      const n = mem.writeCString(s, out, maxsize);
      return n < 0 ? 0 : n;
    },
  };
}

/** Reads a `struct tm`. */
export function readTm(mem: GuestMemory, p: number): BrokenDownTime {
  return {
    sec: mem.i32(p + TM_SEC),
    min: mem.i32(p + TM_MIN),
    hour: mem.i32(p + TM_HOUR),
    mday: mem.i32(p + TM_MDAY),
    mon: mem.i32(p + TM_MON),
    year: mem.i32(p + TM_YEAR),
    wday: mem.i32(p + TM_WDAY),
    yday: mem.i32(p + TM_YDAY),
  };
}

/** Breaks a UTC time (seconds since the epoch) down into `tm` (UTC, no DST). */
function writeTm(mem: GuestMemory, p: number, time: bigint): void {
  const d = new Date(Number(time) * 1000);
  mem.setI32(p + TM_SEC, d.getUTCSeconds());
  mem.setI32(p + TM_MIN, d.getUTCMinutes());
  mem.setI32(p + TM_HOUR, d.getUTCHours());
  mem.setI32(p + TM_MDAY, d.getUTCDate());
  mem.setI32(p + TM_MON, d.getUTCMonth());
  mem.setI32(p + TM_YEAR, d.getUTCFullYear() - 1900);
  mem.setI32(p + TM_WDAY, d.getUTCDay());
  mem.setI32(p + TM_YDAY, dayOfYear(d));
  mem.setI32(p + TM_ISDST, 0);
  mem.setI32(p + TM_GMTOFF, 0);
}

/** mktime/timegm: normalizes the fields in place and returns the time, -1 when invalid. */
function normalizeTm(mem: GuestMemory, p: number): bigint {
  const t = readTm(mem, p);
  const ms = Date.UTC(t.year + 1900, t.mon, t.mday, t.hour, t.min, t.sec);
  if (!Number.isFinite(ms)) return -1n;
  const secs = BigInt(Math.floor(ms / 1000));
  writeTm(mem, p, secs);
  return secs;
}

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000);
}

function pad(n: number, width: number, fill = "0"): string {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + s.padStart(width, fill);
}

/** ISO 8601 week-based year and week number. */
function isoWeek(t: BrokenDownTime): { year: number; week: number } {
  const year = t.year + 1900;
  const wdayMon = (t.wday + 6) % 7; // Monday = 0
  let week = Math.floor((t.yday - wdayMon + 10) / 7);
  if (week < 1) {
    const prev = year - 1;
    const prevDays = isLeap(prev) ? 366 : 365;
    week = Math.floor((t.yday + prevDays - wdayMon + 10) / 7);
    return { year: prev, week };
  }
  const days = isLeap(year) ? 366 : 365;
  if (week === 53 && t.yday - wdayMon + 3 >= days) return { year: year + 1, week: 1 };
  return { year, week };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** C99 `strftime` for the C locale, UTC. Unknown conversions are copied verbatim. */
export function formatTime(format: string, t: BrokenDownTime): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%" || i + 1 >= format.length) {
      out += c;
      continue;
    }
    let spec = format[++i]!;
    // The E and O modifiers select alternative representations; the C locale has none.
    if ((spec === "E" || spec === "O") && i + 1 < format.length) spec = format[++i]!;
    out += conversion(spec, t);
  }
  return out;
}

function conversion(spec: string, t: BrokenDownTime): string {
  const year = t.year + 1900;
  const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  switch (spec) {
    case "a": return DAYS[t.wday]?.slice(0, 3) ?? "?";
    case "A": return DAYS[t.wday] ?? "?";
    case "b": case "h": return MONTHS[t.mon]?.slice(0, 3) ?? "?";
    case "B": return MONTHS[t.mon] ?? "?";
    case "c": return `${conversion("a", t)} ${conversion("b", t)} ${pad(t.mday, 2, " ")} ${conversion("T", t)} ${year}`;
    case "C": return pad(Math.floor(year / 100), 2);
    case "d": return pad(t.mday, 2);
    case "D": return `${pad(t.mon + 1, 2)}/${pad(t.mday, 2)}/${pad(year % 100, 2)}`;
    case "e": return pad(t.mday, 2, " ");
    case "F": return `${pad(year, 4)}-${pad(t.mon + 1, 2)}-${pad(t.mday, 2)}`;
    case "g": return pad(isoWeek(t).year % 100, 2);
    case "G": return String(isoWeek(t).year);
    case "H": return pad(t.hour, 2);
    case "I": return pad(hour12, 2);
    case "j": return pad(t.yday + 1, 3);
    case "m": return pad(t.mon + 1, 2);
    case "M": return pad(t.min, 2);
    case "n": return "\n";
    case "p": return t.hour < 12 ? "AM" : "PM";
    case "r": return `${pad(hour12, 2)}:${pad(t.min, 2)}:${pad(t.sec, 2)} ${conversion("p", t)}`;
    case "R": return `${pad(t.hour, 2)}:${pad(t.min, 2)}`;
    case "S": return pad(t.sec, 2);
    case "t": return "\t";
    case "T": return `${pad(t.hour, 2)}:${pad(t.min, 2)}:${pad(t.sec, 2)}`;
    case "u": return String(t.wday === 0 ? 7 : t.wday);
    case "U": return pad(Math.floor((t.yday + 7 - t.wday) / 7), 2);
    case "V": return pad(isoWeek(t).week, 2);
    case "w": return String(t.wday);
    case "W": return pad(Math.floor((t.yday + 7 - ((t.wday + 6) % 7)) / 7), 2);
    case "x": return conversion("D", t);
    case "X": return conversion("T", t);
    case "y": return pad(year % 100, 2);
    case "Y": return String(year);
    case "z": return "+0000";
    case "Z": return "UTC";
    case "%": return "%";
    default: return `%${spec}`;
  }
}
