// Intl.PluralRules: the CLDR cardinal and ordinal rules of the supported languages.
import { NumberFormat } from "./number-format.js";
import { option, resolveLocale, supportedLocalesOf } from "./locale.js";

const CARDINAL = {
  en: (i, v) => (i === "1" && v === 0 ? "one" : "other"),
  de: (i, v) => (i === "1" && v === 0 ? "one" : "other"),
  es: (i, v, n) => (n === 1 ? "one" : v === 0 && i !== "0" && /000000$/.test(i) ? "many" : "other"),
  fr: (i, v) => (i === "0" || i === "1" ? "one" : v === 0 && i !== "0" && /000000$/.test(i) ? "many" : "other"),
};
const ORDINAL = {
  en: (i) => {
    const n10 = Number(i.slice(-1));
    const n100 = Number(i.slice(-2));
    return n10 === 1 && n100 !== 11 ? "one" : n10 === 2 && n100 !== 12 ? "two" : n10 === 3 && n100 !== 13 ? "few" : "other";
  },
  de: () => "other",
  es: () => "other",
  fr: (i) => (i === "1" ? "one" : "other"),
};

export class PluralRules {
  constructor(locales, options) {
    const o = options === undefined ? {} : Object(options);
    this._locale = resolveLocale(locales);
    this._type = option(o, "type", ["cardinal", "ordinal"], "cardinal");
    this._nf = new NumberFormat("en-US", { minimumFractionDigits: o.minimumFractionDigits, maximumFractionDigits: o.maximumFractionDigits, useGrouping: false });
  }

  select(n) {
    const x = Number(n);
    if (!Number.isFinite(x)) return "other";
    const text = this._nf.format(Math.abs(x));
    const [i, f = ""] = text.split(".");
    const lang = this._locale.split("-")[0];
    if (this._type === "ordinal") return f.length > 0 ? "other" : ORDINAL[lang](i);
    return CARDINAL[lang](i, f.length, Math.abs(x));
  }

  resolvedOptions() {
    const categories = { en: ["one", "other"], de: ["one", "other"], es: ["one", "many", "other"], fr: ["one", "many", "other"] };
    const ordinals = { en: ["few", "one", "two", "other"], de: ["other"], es: ["other"], fr: ["one", "other"] };
    const lang = this._locale.split("-")[0];
    return { locale: this._locale, type: this._type, pluralCategories: (this._type === "ordinal" ? ordinals : categories)[lang] };
  }

  static supportedLocalesOf(locales) {
    return supportedLocalesOf(locales);
  }
}

