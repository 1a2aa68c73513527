// A compact Intl for the sandbox (QuickJS-NG has none, and the formatjs polyfills cost more
// than a default fuel budget to load): NumberFormat, DateTimeFormat, Collator and
// PluralRules for en-US, en-GB, de-DE, fr-FR and es-ES, from CLDR data generated out of
// Node's ICU (intl-data.js). Other locales resolve to en-US, as `resolvedOptions().locale`
// says. Dates are formatted in UTC, the sandbox's only time zone.
import { Collator } from "./intl/collator.js";
import { DateTimeFormat } from "./intl/date-time-format.js";
import { getCanonicalLocales } from "./intl/locale.js";
import { NumberFormat } from "./intl/number-format.js";
import { PluralRules } from "./intl/plural-rules.js";

function define(target, name, value) {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

function dateFormatter(kind) {
  return function (locales, options) {
    const o = options === undefined ? {} : Object(options);
    return new DateTimeFormat(locales, { ...o, __defaults: kind }).format(this);
  };
}

export const Intl = {};
define(Intl, "NumberFormat", NumberFormat);
define(Intl, "DateTimeFormat", DateTimeFormat);
define(Intl, "Collator", Collator);
define(Intl, "PluralRules", PluralRules);
define(Intl, "getCanonicalLocales", getCanonicalLocales);
Object.defineProperty(Intl, Symbol.toStringTag, { value: "Intl", configurable: true });

/** The prototype methods that format through Intl, installed by the driver on first use. */
export const methods = {
  numberToLocaleString(locales, options) {
    if (typeof this !== "number" && !(this instanceof Number)) throw new TypeError("not a number");
    return new NumberFormat(locales, options).format(Number(this));
  },
  bigintToLocaleString(locales, options) {
    return new NumberFormat(locales, options).format(BigInt(this));
  },
  dateToLocaleString: dateFormatter("all"),
  dateToLocaleDateString: dateFormatter("date"),
  dateToLocaleTimeString: dateFormatter("time"),
  stringLocaleCompare(that, locales, options) {
    if (this === undefined || this === null) throw new TypeError("String.prototype.localeCompare called on null or undefined");
    return new Collator(locales, options).compare(String(this), String(that));
  },
};

// Evaluating this bundle installs the prototype methods that format through Intl (the
// driver's stubs for them load the bundle, then call these).
define(Number.prototype, "toLocaleString", methods.numberToLocaleString);
define(BigInt.prototype, "toLocaleString", methods.bigintToLocaleString);
define(Date.prototype, "toLocaleString", methods.dateToLocaleString);
define(Date.prototype, "toLocaleDateString", methods.dateToLocaleDateString);
define(Date.prototype, "toLocaleTimeString", methods.dateToLocaleTimeString);
define(String.prototype, "localeCompare", methods.stringLocaleCompare);
