// Locale negotiation and option reading shared by the Intl constructors.
import DATA from "../intl-data.js";

export const SUPPORTED = Object.keys(DATA.locales);
export const DEFAULT_LOCALE = "en-US";
const LANGUAGE_DEFAULTS = { en: "en-US", de: "de-DE", fr: "fr-FR", es: "es-ES" };

export function canonical(tag) {
  if (typeof tag !== "string" && !(typeof tag === "object" && tag !== null)) throw new TypeError("Language ID should be string or object.");
  const parts = String(tag).replace(/_/g, "-").split("-");
  if (!/^[A-Za-z]{2,8}$/.test(parts[0])) throw new RangeError(`Incorrect locale information provided`);
  return parts.map((p, i) => (i === 0 ? p.toLowerCase() : p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0].toUpperCase() + p.slice(1).toLowerCase() : p.toLowerCase())).join("-");
}

export function getCanonicalLocales(locales) {
  if (locales === undefined) return [];
  const list = typeof locales === "string" || !(Symbol.iterator in Object(locales)) ? [locales] : [...locales];
  return [...new Set(list.map(canonical))];
}

export function resolveLocale(locales) {
  for (const tag of getCanonicalLocales(locales)) {
    const [lang, region] = tag.split("-");
    const exact = `${lang}-${region}`;
    if (SUPPORTED.includes(exact)) return exact;
    if (LANGUAGE_DEFAULTS[lang] && (region === undefined || !/^[A-Z]{2}$/.test(region))) return LANGUAGE_DEFAULTS[lang];
  }
  return DEFAULT_LOCALE;
}

export function supportedLocalesOf(locales) {
  return getCanonicalLocales(locales).filter((t) => SUPPORTED.includes(t) || (LANGUAGE_DEFAULTS[t] !== undefined));
}

export function option(options, name, allowed, fallback) {
  const v = options[name];
  if (v === undefined) return fallback;
  const s = typeof allowed[0] === "boolean" ? Boolean(v) : String(v);
  if (!allowed.includes(s)) throw new RangeError(`Value ${String(v)} out of range for Intl options property ${name}`);
  return s;
}

export function digitsOption(options, name, min, max, fallback) {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`${name} value is out of range.`);
  return Math.floor(n);
}

