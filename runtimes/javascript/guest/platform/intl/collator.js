// Intl.Collator: a three-level comparison after the CLDR root order (base letters, accents, case).
import { option, resolveLocale, supportedLocalesOf } from "./locale.js";

const SPECIAL = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ı": "i" };
// Secondary (accent) order of the common combining marks, as in the CLDR root collation.
const ACCENT_ORDER = "\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0327\u0328\u0304";

function accentWeight(marks) {
  let w = "";
  for (const m of marks) {
    const i = ACCENT_ORDER.indexOf(m);
    w += String.fromCharCode(0x41 + (i < 0 ? ACCENT_ORDER.length + (m.charCodeAt(0) & 0xff) : i));
  }
  return w;
}

// One entry per collation element: its primary weight (character class, then the base
// letter), its accents and its case. Expansions (ß → ss) give several elements.
function collationKeys(s, numeric, ignorePunctuation) {
  const keys = [];
  const chars = [...String(s)];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (numeric && /[0-9]/.test(ch)) {
      let run = ch;
      while (i + 1 < chars.length && /[0-9]/.test(chars[i + 1])) run += chars[++i];
      const n = run.replace(/^0+(?=\d)/, "");
      keys.push({ primary: `2${String(n.length).padStart(3, "0")}${n}`, accent: "", tertiary: 0 });
      continue;
    }
    const nfd = ch.normalize("NFD");
    const base = nfd.replace(/[\u0300-\u036f]/g, "");
    const accent = accentWeight(nfd.slice(base.length));
    const lower = base.toLowerCase();
    const cls = /\s/.test(base) || /\p{P}/u.test(base) ? "0" : /\p{S}/u.test(base) ? "1" : /[0-9]/.test(base) ? "2" : "3";
    if (ignorePunctuation && cls === "0") continue;
    // An expansion (ß → ss, œ → oe) sorts after its spelled-out form at the accent level.
    const expanded = SPECIAL[lower];
    for (const c of expanded ?? lower) keys.push({ primary: cls + c, accent: expanded ? accent + "~" : accent, tertiary: base !== lower ? 1 : 0 });
  }
  return keys;
}

export class Collator {
  constructor(locales, options) {
    const o = options === undefined ? {} : Object(options);
    this._locale = resolveLocale(locales);
    this._usage = option(o, "usage", ["sort", "search"], "sort");
    this._sensitivity = option(o, "sensitivity", ["base", "accent", "case", "variant"], "variant");
    this._numeric = o.numeric === undefined ? false : Boolean(o.numeric);
    this._ignorePunctuation = o.ignorePunctuation === undefined ? false : Boolean(o.ignorePunctuation);
    this._caseFirst = option(o, "caseFirst", ["upper", "lower", "false"], "false");
    this.compare = this.compare.bind(this);
  }

  compare(a, b) {
    const ka = collationKeys(a, this._numeric, this._ignorePunctuation);
    const kb = collationKeys(b, this._numeric, this._ignorePunctuation);
    const level = (pick) => {
      const n = Math.min(ka.length, kb.length);
      for (let i = 0; i < n; i++) {
        const x = pick(ka[i]);
        const y = pick(kb[i]);
        if (x !== y) return x < y ? -1 : 1;
      }
      return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
    };
    const primary = level((k) => k.primary);
    if (primary !== 0 || this._sensitivity === "base") return primary;
    if (this._sensitivity !== "case") {
      const accent = level((k) => k.accent);
      if (accent !== 0 || this._sensitivity === "accent") return accent;
    }
    const upperFirst = this._caseFirst === "upper";
    const tertiary = level((k) => String(upperFirst ? 1 - k.tertiary : k.tertiary));
    if (tertiary !== 0 || this._sensitivity === "case") return tertiary;
    return 0;
  }

  resolvedOptions() {
    return { locale: this._locale, usage: this._usage, sensitivity: this._sensitivity, ignorePunctuation: this._ignorePunctuation, collation: "default", numeric: this._numeric, caseFirst: this._caseFirst };
  }

  static supportedLocalesOf(locales) {
    return supportedLocalesOf(locales);
  }
}

