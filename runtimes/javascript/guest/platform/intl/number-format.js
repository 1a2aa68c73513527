// Intl.NumberFormat: ICU's rounding (half away from zero on the shortest decimal), CLDR symbols and patterns.
import DATA from "../intl-data.js";
import { digitsOption, option, resolveLocale, supportedLocalesOf } from "./locale.js";

// The shortest decimal that round-trips (what ICU rounds from): digits and the exponent of
// the first digit's place.
function decimalOf(x) {
  const s = Math.abs(x).toExponential().split("e");
  return { digits: s[0].replace(".", ""), exp: Number(s[1]) };
}

// Rounds half away from zero at `place` (10^place is the last kept digit's value).
function roundAt(dec, place) {
  const keep = dec.exp - place + 1;
  if (keep < 0) return { digits: "0", exp: place };
  if (keep >= dec.digits.length) return dec;
  let digits = dec.digits.slice(0, keep);
  let exp = dec.exp;
  if (dec.digits.charCodeAt(keep) >= 53) {
    let i = digits.length - 1;
    const arr = digits.split("");
    while (i >= 0 && arr[i] === "9") arr[i--] = "0";
    if (i < 0) {
      arr.unshift("1");
      exp += 1;
    } else arr[i] = String(Number(arr[i]) + 1);
    digits = arr.join("");
  }
  if (digits === "" ) return { digits: "0", exp: place };
  return { digits, exp };
}

// Integer and fraction digit strings of a rounded decimal.
function splitDecimal(dec) {
  const { digits, exp } = dec;
  if (/^0*$/.test(digits)) return { int: "0", frac: "" };
  if (exp >= 0) {
    const int = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits + "0".repeat(exp + 1 - digits.length);
    return { int, frac: digits.slice(exp + 1) };
  }
  return { int: "0", frac: "0".repeat(-exp - 1) + digits };
}

function groupInteger(int, sep, minGrouping, useGrouping) {
  if (!useGrouping || int.length < 4 || (useGrouping === "min2" || minGrouping === 2) && useGrouping !== "always" && int.length < 5) return int;
  const out = [];
  for (let end = int.length; end > 0; end -= 3) out.unshift(int.slice(Math.max(0, end - 3), end));
  return out.join(sep);
}

export class NumberFormat {
  constructor(locales, options) {
    const o = options === undefined ? {} : Object(options);
    this._locale = resolveLocale(locales);
    this._data = DATA.locales[this._locale];
    const style = option(o, "style", ["decimal", "percent", "currency", "unit"], "decimal");
    if (style === "unit") throw new RangeError("Intl.NumberFormat: style \"unit\" is not supported in the sandbox");
    const notation = option(o, "notation", ["standard", "scientific", "engineering", "compact"], "standard");
    if (notation !== "standard") throw new RangeError(`Intl.NumberFormat: notation "${notation}" is not supported in the sandbox`);
    let currency;
    let currencyDigits = 2;
    if (style === "currency") {
      if (o.currency === undefined) throw new TypeError("Currency code is required with currency style.");
      currency = String(o.currency).toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`Invalid currency code : ${o.currency}`);
      currencyDigits = this._data.currencies[currency] ? this._data.currencies[currency].digits : 2;
    }
    const currencyDisplay = option(o, "currencyDisplay", ["symbol", "narrowSymbol", "code", "name"], "symbol");
    const minInt = digitsOption(o, "minimumIntegerDigits", 1, 21, 1);
    const defMin = style === "currency" ? currencyDigits : 0;
    const defMax = style === "currency" ? currencyDigits : style === "percent" ? 0 : 3;
    const significant = o.minimumSignificantDigits !== undefined || o.maximumSignificantDigits !== undefined;
    const minSig = significant ? digitsOption(o, "minimumSignificantDigits", 1, 21, 1) : undefined;
    const maxSig = significant ? digitsOption(o, "maximumSignificantDigits", minSig, 21, 21) : undefined;
    let minFrac = digitsOption(o, "minimumFractionDigits", 0, 100, undefined);
    let maxFrac = digitsOption(o, "maximumFractionDigits", 0, 100, undefined);
    if (minFrac === undefined) minFrac = Math.min(defMin, maxFrac ?? defMin);
    if (maxFrac === undefined) maxFrac = Math.max(defMax, minFrac);
    else if (minFrac > maxFrac) throw new RangeError("maximumFractionDigits value is out of range.");
    const g = o.useGrouping;
    const useGrouping = g === undefined || g === "auto" || g === true || g === "true" ? "auto" : g === "always" || g === "min2" ? g : g === false || g === "false" ? false : "auto";
    const signDisplay = option(o, "signDisplay", ["auto", "never", "always", "exceptZero", "negative"], "auto");
    this._o = { style, currency, currencyDisplay, minInt, minFrac, maxFrac, minSig, maxSig, useGrouping, signDisplay, notation };
    this.format = this.format.bind(this);
  }

  formatToParts(value) {
    const o = this._o;
    const d = this._data;
    let x = typeof value === "bigint" ? value : Number(value);
    const parts = [];
    let negative = typeof x === "bigint" ? x < 0n : x < 0 || Object.is(x, -0);
    let body;
    if (typeof x === "number" && Number.isNaN(x)) {
      negative = false;
      body = [{ type: "nan", value: "NaN" }];
    } else if (typeof x === "number" && !Number.isFinite(x)) body = [{ type: "infinity", value: "∞" }];
    else {
      let int;
      let frac;
      if (typeof x === "bigint") {
        int = (x < 0n ? -x : x).toString();
        frac = o.minSig === undefined ? "0".repeat(o.minFrac) : "";
        if (o.style === "percent") int += "00";
      } else {
        // Percent scales the decimal, not the double (1.005 is 100.5 %, not 100.49999…).
        let dec = decimalOf(x);
        if (o.style === "percent" && dec.digits !== "0") dec = { digits: dec.digits, exp: dec.exp + 2 };
        if (o.minSig !== undefined) {
          dec = roundAt(dec, dec.exp - o.maxSig + 1);
          ({ int, frac } = splitDecimal(dec));
          frac = frac.replace(/0+$/, "");
          const have = int !== "0" ? int.length + frac.length : Math.max(1, frac.replace(/^0+/, "").length);
          if (have < o.minSig) frac += "0".repeat(o.minSig - have);
        } else {
          ({ int, frac } = splitDecimal(roundAt(dec, -o.maxFrac)));
          frac = frac.slice(0, o.maxFrac).replace(/0+$/, "");
          if (frac.length < o.minFrac) frac += "0".repeat(o.minFrac - frac.length);
        }
      }
      if (int.length < o.minInt) int = "0".repeat(o.minInt - int.length) + int;
      const grouped = groupInteger(int, "\u0000", d.minGrouping, o.useGrouping).split("\u0000");
      body = [];
      grouped.forEach((chunk, i) => {
        if (i > 0) body.push({ type: "group", value: d.group });
        body.push({ type: "integer", value: chunk });
      });
      if (frac) body.push({ type: "decimal", value: d.decimal }, { type: "fraction", value: frac });
    }
    const isZero = body.some((p) => p.type === "integer") && body.every((p) => (p.type !== "integer" && p.type !== "fraction") || /^0*$/.test(p.value));
    const sign =
      o.signDisplay === "never" ? "" :
      typeof x === "number" && Number.isNaN(x) ? (o.signDisplay === "always" ? "+" : "") :
      o.signDisplay === "always" ? (negative ? "-" : "+") :
      o.signDisplay === "exceptZero" ? (isZero ? "" : negative ? "-" : "+") :
      o.signDisplay === "negative" ? (negative && !isZero ? "-" : "") :
      negative ? "-" : "";
    if (sign) parts.push({ type: sign === "-" ? "minusSign" : "plusSign", value: sign });
    if (o.style === "percent") {
      for (const piece of d.percent.split(/(#)/)) {
        if (piece === "#") parts.push(...body);
        else if (piece === "%") parts.push({ type: "percentSign", value: "%" });
        else if (piece) for (const c of piece.split(/(%)/)) if (c) parts.push({ type: c === "%" ? "percentSign" : "literal", value: c });
      }
    } else if (o.style === "currency") {
      const entry = d.currencies[o.currency];
      const display = o.currencyDisplay === "name" ? "code" : o.currencyDisplay;
      const pattern = entry ? entry[display] : d.currencies.USD.code.replace("{USD}", `{${o.currency}}`);
      for (const piece of pattern.split(/(#|\{[^}]*\})/)) {
        if (piece === "#") parts.push(...body);
        else if (piece.startsWith("{")) parts.push({ type: "currency", value: piece.slice(1, -1) });
        else if (piece) parts.push({ type: "literal", value: piece });
      }
    } else parts.push(...body);
    return parts;
  }

  format(value) {
    return this.formatToParts(value).map((p) => p.value).join("");
  }

  resolvedOptions() {
    const o = this._o;
    const r = { locale: this._locale, numberingSystem: "latn", style: o.style };
    if (o.style === "currency") Object.assign(r, { currency: o.currency, currencyDisplay: o.currencyDisplay, currencySign: "standard" });
    r.minimumIntegerDigits = o.minInt;
    if (o.minSig !== undefined) Object.assign(r, { minimumSignificantDigits: o.minSig, maximumSignificantDigits: o.maxSig });
    else Object.assign(r, { minimumFractionDigits: o.minFrac, maximumFractionDigits: o.maxFrac });
    return Object.assign(r, { useGrouping: o.useGrouping, notation: o.notation, signDisplay: o.signDisplay, roundingMode: "halfExpand" });
  }

  static supportedLocalesOf(locales) {
    return supportedLocalesOf(locales);
  }
}

