/**
 * Writes guest/platform/intl-data.js: the CLDR data (via Node's ICU) the sandbox's compact
 * Intl needs for its locales — number symbols and currency patterns, month and weekday
 * names, and the date/time patterns Node resolves for the common option combinations,
 * turned into pattern strings by formatting probe dates with formatToParts. Run with the
 * Node version the fidelity suite compares against: `node scripts/generate-intl-data.mjs`.
 */
import { writeFileSync } from "node:fs";

const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"];
const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CNY", "INR", "CAD", "AUD", "CHF"];
const DATES = [
  {}, { year: "numeric", month: "long", day: "numeric" }, { weekday: "long", year: "numeric", month: "long", day: "numeric" },
  { year: "numeric", month: "short", day: "numeric" }, { weekday: "short", year: "numeric", month: "short", day: "numeric" },
  { month: "short", day: "numeric" }, { weekday: "short", month: "short", day: "numeric" }, { month: "long", day: "numeric" },
  { weekday: "long", month: "long", day: "numeric" }, { year: "numeric", month: "short" }, { year: "numeric", month: "long" },
  { year: "numeric", month: "2-digit", day: "2-digit" }, { year: "2-digit", month: "2-digit", day: "2-digit" }, { month: "2-digit", day: "2-digit" },
  { month: "numeric", day: "numeric" }, { year: "numeric", month: "numeric" }, { year: "numeric", month: "numeric", day: "numeric" },
  { year: "numeric" }, { month: "long" }, { month: "short" }, { weekday: "long" }, { weekday: "short" }, { day: "numeric" },
  { weekday: "long", year: "numeric", month: "numeric", day: "numeric" }, { weekday: "short", year: "numeric", month: "numeric", day: "numeric" },
];
const TIMES = [null, { hour: "numeric", minute: "numeric" }, { hour: "numeric", minute: "numeric", second: "numeric" }, { hour: "numeric", minute: "2-digit" }, { hour: "numeric", minute: "2-digit", second: "2-digit" }, { hour: "2-digit", minute: "2-digit" }, { hour: "2-digit", minute: "2-digit", second: "2-digit" }, { hour: "numeric" }];
const STYLES = [undefined, "full", "long", "medium", "short"];
const H12 = [undefined, true, false];

const pm = new Date(Date.UTC(2024, 0, 5, 14, 3, 9));
const am = new Date(Date.UTC(2024, 0, 5, 4, 3, 9));
const midnight = new Date(Date.UTC(2024, 0, 5, 0, 3, 9));

/** The option-set key the guest computes the same way (see intl.js `skeletonKey`). */
function key(o) {
  return ["weekday", "year", "month", "day", "hour", "minute", "second", "dateStyle", "timeStyle", "hour12"].filter((k) => o[k] !== undefined).map((k) => `${k}=${o[k]}`).join(",");
}

function names(locale, option, count, make) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...option }).formatToParts(make(i)).find((p) => p.type === Object.keys(option).find((k) => k !== "day"))?.value);
  return out;
}

function pattern(locale, options, data) {
  const a = new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options }).formatToParts(pm);
  const b = new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options }).formatToParts(am);
  const c = new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options }).formatToParts(midnight);
  if (a.length !== b.length) throw new Error(`${locale} ${key(options)}: probe shapes differ`);
  return a.map((p, i) => {
    const v = p.value;
    switch (p.type) {
      case "year": return v.length === 2 ? "{yy}" : "{y}";
      case "month":
        if (v === "1") return "{M}";
        if (v === "01") return "{MM}";
        for (const [t, list] of Object.entries(data.months)) if (list[0] === v) return `{${t}}`;
        throw new Error(`${locale}: month ${v}`);
      case "day": return v === "05" ? "{dd}" : "{d}";
      case "weekday":
        for (const [t, list] of Object.entries(data.weekdays)) if (list[5] === v) return `{${t}}`;
        throw new Error(`${locale}: weekday ${v}`);
      case "hour": {
        const twelve = v === "2" || v === "02";
        const zero = c[i].value === "0" || c[i].value === "00";
        const letter = twelve ? (zero ? "K" : "h") : c[i].value.startsWith("24") ? "k" : "H";
        return `{${letter}${b[i].value.length === 2 ? "2" : ""}}`;
      }
      case "minute": return "{mm}";
      case "second": return "{ss}";
      case "dayPeriod": return "{a}";
      case "literal": return v.replace(/[{}]/g, (c) => `{${c === "{" ? "lb" : "rb"}}`);
      default: return v;
    }
  }).join("");
}

const data = {};
for (const locale of LOCALES) {
  const d = {};
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  d.decimal = parts.find((p) => p.type === "decimal").value;
  d.group = parts.find((p) => p.type === "group").value;
  d.minGrouping = new Intl.NumberFormat(locale).format(1234).includes(d.group) ? 1 : 2;
  d.percent = new Intl.NumberFormat(locale, { style: "percent" }).formatToParts(0.25).map((p) => (p.type === "integer" ? "#" : p.value)).join("");
  d.currencies = {};
  for (const c of CURRENCIES) {
    const entry = {};
    for (const display of ["symbol", "narrowSymbol", "code"]) {
      entry[display] = new Intl.NumberFormat(locale, { style: "currency", currency: c, currencyDisplay: display }).formatToParts(1234.5).map((p) => (p.type === "currency" ? `{${p.value}}` : ["integer", "group", "decimal", "fraction"].includes(p.type) ? "#" : p.value)).join("").replace(/#+/, "#");
    }
    entry.digits = new Intl.NumberFormat(locale, { style: "currency", currency: c }).resolvedOptions().maximumFractionDigits;
    d.currencies[c] = entry;
  }
  d.months = {
    MMMM: names(locale, { month: "long", day: "numeric" }, 12, (i) => new Date(Date.UTC(2024, i, 5))),
    MMM: names(locale, { month: "short", day: "numeric" }, 12, (i) => new Date(Date.UTC(2024, i, 5))),
    LLLL: names(locale, { month: "long" }, 12, (i) => new Date(Date.UTC(2024, i, 5))),
    LLL: names(locale, { month: "short" }, 12, (i) => new Date(Date.UTC(2024, i, 5))),
  };
  // 2024-01-05 is a Friday: index 0 is Sunday as in Date#getUTCDay.
  const day = (i) => new Date(Date.UTC(2023, 11, 31 + i));
  d.weekdays = {
    EEEE: names(locale, { weekday: "long", month: "long", day: "numeric" }, 7, day),
    EEE: names(locale, { weekday: "short", month: "short", day: "numeric" }, 7, day),
    cccc: names(locale, { weekday: "long" }, 7, day),
    ccc: names(locale, { weekday: "short" }, 7, day),
  };
  d.dayPeriods = [0, 1].map((i) => new Intl.DateTimeFormat(locale, { timeZone: "UTC", hour: "numeric", hour12: true }).formatToParts(i ? pm : am).find((p) => p.type === "dayPeriod").value);
  d.patterns = {};
  for (const date of DATES) for (const time of TIMES) for (const hour12 of time ? H12 : [undefined]) {
    const o = { ...date, ...(time ?? {}), ...(hour12 === undefined ? {} : { hour12 }) };
    if (Object.keys(date).length === 0 && time) continue; // time only: below
    d.patterns[key(o)] = pattern(locale, o, d);
  }
  for (const time of TIMES.slice(1)) for (const hour12 of H12) {
    const o = { ...time, ...(hour12 === undefined ? {} : { hour12 }) };
    d.patterns[key(o)] = pattern(locale, o, d);
  }
  for (const dateStyle of STYLES) for (const timeStyle of STYLES) for (const hour12 of timeStyle ? H12 : [undefined]) {
    if (!dateStyle && !timeStyle) continue;
    const o = { ...(dateStyle ? { dateStyle } : {}), ...(timeStyle ? { timeStyle } : {}), ...(hour12 === undefined ? {} : { hour12 }) };
    d.patterns[key(o)] = pattern(locale, o, d);
  }
  // toLocaleString() without options: date and time.
  data[locale] = d;
}
// Every locale has the same option keys: store them once, and per locale the distinct
// patterns with one index per key.
const keys = Object.keys(data["en-US"].patterns);
for (const d of Object.values(data)) {
  const distinct = [...new Set(keys.map((k) => d.patterns[k]))];
  d.index = keys.map((k) => distinct.indexOf(d.patterns[k]));
  d.patterns = distinct;
}
const header = `// Generated by scripts/generate-intl-data.mjs from Node ${process.versions.node} (ICU ${process.versions.icu}, CLDR ${process.versions.cldr}): do not edit.\n// Locale data from the Unicode CLDR (Unicode License v3).\n`;
writeFileSync(new URL("../guest/platform/intl-data.js", import.meta.url), `${header}export default ${JSON.stringify({ keys, locales: data })};\n`);
console.log("wrote", Object.keys(data).join(" "), Object.keys(data["en-US"].patterns).length, "patterns each");
