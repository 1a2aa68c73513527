// Intl.DateTimeFormat over the patterns Node resolves for each option combination (UTC only).
import DATA from "../intl-data.js";
import { option, resolveLocale, supportedLocalesOf } from "./locale.js";

const DATE_FIELDS = ["weekday", "year", "month", "day", "hour", "minute", "second", "dateStyle", "timeStyle", "hour12"];
const KEY_INDEX = new Map(DATA.keys.map((k, i) => [k, i]));

function skeletonKey(o) {
  return DATE_FIELDS.filter((k) => o[k] !== undefined).map((k) => `${k}=${o[k]}`).join(",");
}

export class DateTimeFormat {
  constructor(locales, options) {
    const o = options === undefined ? {} : Object(options);
    this._locale = resolveLocale(locales);
    this._data = DATA.locales[this._locale];
    const tz = o.timeZone === undefined ? "UTC" : String(o.timeZone);
    if (!/^(utc|gmt|etc\/utc|etc\/gmt|z)$/i.test(tz)) throw new RangeError(`Intl.DateTimeFormat: the sandbox has only the UTC time zone, not ${tz}`);
    if (o.timeZoneName !== undefined) throw new RangeError("Intl.DateTimeFormat: timeZoneName is not supported in the sandbox (every date is UTC)");
    const s = {};
    s.weekday = option(o, "weekday", ["long", "short", "narrow"], undefined);
    s.year = option(o, "year", ["numeric", "2-digit"], undefined);
    s.month = option(o, "month", ["numeric", "2-digit", "long", "short", "narrow"], undefined);
    s.day = option(o, "day", ["numeric", "2-digit"], undefined);
    s.hour = option(o, "hour", ["numeric", "2-digit"], undefined);
    s.minute = option(o, "minute", ["numeric", "2-digit"], undefined);
    s.second = option(o, "second", ["numeric", "2-digit"], undefined);
    s.dateStyle = option(o, "dateStyle", ["full", "long", "medium", "short"], undefined);
    s.timeStyle = option(o, "timeStyle", ["full", "long", "medium", "short"], undefined);
    if (o.hour12 !== undefined) s.hour12 = Boolean(o.hour12);
    else if (o.hourCycle !== undefined) s.hour12 = o.hourCycle === "h12" || o.hourCycle === "h11";
    if ((s.dateStyle || s.timeStyle) && ["weekday", "year", "month", "day", "hour", "minute", "second"].some((k) => s[k] !== undefined)) {
      throw new TypeError("Can't set option " + ["weekday", "year", "month", "day", "hour", "minute", "second"].find((k) => s[k] !== undefined) + " when dateStyle is used");
    }
    if (s.month === "narrow" || s.weekday === "narrow") throw new RangeError("Intl.DateTimeFormat: narrow names are not supported in the sandbox");
    this._defaults = (o.__defaults || "date");
    const dateTime = ["weekday", "year", "month", "day", "hour", "minute", "second", "dateStyle", "timeStyle"].some((k) => s[k] !== undefined);
    if (!dateTime) {
      if (this._defaults === "time" || this._defaults === "all") Object.assign(s, { hour: "numeric", minute: "numeric", second: "numeric" });
      if (this._defaults === "date" || this._defaults === "all") Object.assign(s, { year: "numeric", month: "numeric", day: "numeric" });
    }
    if (!s.hour && !s.timeStyle) delete s.hour12;
    let key = skeletonKey(s);
    const i = KEY_INDEX.get(key);
    if (i === undefined) throw new RangeError(`Intl.DateTimeFormat: this combination of options is not supported in the sandbox (${key})`);
    this._pattern = this._data.patterns[this._data.index[i]];
    this._s = s;
    this.format = this.format.bind(this);
  }

  formatToParts(date) {
    const t = date === undefined ? Date.now() : Number(date instanceof Date ? date.getTime() : date);
    if (!Number.isFinite(t)) throw new RangeError("Invalid time value");
    const d = new Date(t);
    const data = this._data;
    const h = d.getUTCHours();
    const pad = (n) => String(n).padStart(2, "0");
    const fields = {
      y: ["year", String(d.getUTCFullYear())],
      yy: ["year", pad(d.getUTCFullYear() % 100)],
      M: ["month", String(d.getUTCMonth() + 1)],
      MM: ["month", pad(d.getUTCMonth() + 1)],
      d: ["day", String(d.getUTCDate())],
      dd: ["day", pad(d.getUTCDate())],
      h: ["hour", String(h % 12 === 0 ? 12 : h % 12)],
      h2: ["hour", pad(h % 12 === 0 ? 12 : h % 12)],
      H: ["hour", String(h)],
      H2: ["hour", pad(h)],
      k: ["hour", String(h === 0 ? 24 : h)],
      k2: ["hour", pad(h === 0 ? 24 : h)],
      K: ["hour", String(h % 12)],
      K2: ["hour", pad(h % 12)],
      mm: ["minute", pad(d.getUTCMinutes())],
      ss: ["second", pad(d.getUTCSeconds())],
      a: ["dayPeriod", data.dayPeriods[h < 12 ? 0 : 1]],
      lb: ["literal", "{"],
      rb: ["literal", "}"],
    };
    const parts = [];
    for (const piece of this._pattern.split(/(\{[^}]*\})/)) {
      if (!piece) continue;
      if (!piece.startsWith("{")) {
        parts.push({ type: "literal", value: piece });
        continue;
      }
      const token = piece.slice(1, -1);
      if (data.months[token]) parts.push({ type: "month", value: data.months[token][d.getUTCMonth()] });
      else if (data.weekdays[token]) parts.push({ type: "weekday", value: data.weekdays[token][d.getUTCDay()] });
      else parts.push({ type: fields[token][0], value: fields[token][1] });
    }
    return parts;
  }

  format(date) {
    // Node's format() keeps ASCII spaces where CLDR has U+202F (before AM/PM); formatToParts does not.
    return this.formatToParts(date).map((p) => p.value).join("").replace(/\u202f/g, " ");
  }

  resolvedOptions() {
    const r = { locale: this._locale, calendar: "gregory", numberingSystem: "latn", timeZone: "UTC" };
    for (const k of DATE_FIELDS) if (this._s[k] !== undefined) r[k] = this._s[k];
    return r;
  }

  static supportedLocalesOf(locales) {
    return supportedLocalesOf(locales);
  }
}

