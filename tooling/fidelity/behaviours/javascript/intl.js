// Intl and the locale-aware methods for the locales the sandbox ships (en-US, en-GB, de-DE, fr-FR, es-ES), as Node prints them.
console.log((1234567.891).toLocaleString("en-US"), (1234567.891).toLocaleString("de-DE"), (0.256).toLocaleString("en-US", { style: "percent" }));
console.log(["zebra", "Äpfel", "apple"].sort((a, b) => a.localeCompare(b)), "a".localeCompare("B"));
console.log(new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(1234.5), new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(1234.5));
const d = new Date(Date.UTC(2024, 0, 5, 14, 3, 9));
console.log(d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" }), d.toLocaleString("en-US"), d.toLocaleTimeString("de-DE"), d.toLocaleDateString("es-ES", { dateStyle: "full" }));
console.log(new Intl.PluralRules("en-US").select(1), new Intl.PluralRules("en-US", { type: "ordinal" }).select(22), Intl.getCanonicalLocales("EN-us"), new Intl.NumberFormat().resolvedOptions().locale);
console.log(typeof Intl, Object.prototype.toString.call(Intl), (12345678901234567890n).toLocaleString("en-US"), [1234.5, 0.5].map((n) => n.toLocaleString("en-GB")));
const nf = (l, o, v) => new Intl.NumberFormat(l, o).format(v);
for (const l of ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"]) {
  console.log(l, nf(l, {}, 1234567.891), nf(l, {}, 1234.5), nf(l, { maximumFractionDigits: 2 }, 1.005), nf(l, { style: "percent", minimumFractionDigits: 1 }, 0.1234), nf(l, { style: "currency", currency: "USD" }, -1234.5), nf(l, { style: "currency", currency: "EUR" }, 0.5), nf(l, { style: "currency", currency: "JPY" }, 1234.5), nf(l, { maximumSignificantDigits: 3 }, 123456), nf(l, { signDisplay: "exceptZero" }, 5));
  for (const o of [{}, { dateStyle: "full" }, { dateStyle: "medium", timeStyle: "short" }, { weekday: "short", month: "short", day: "numeric" }, { year: "numeric", month: "2-digit", day: "2-digit" }, { hour: "2-digit", minute: "2-digit" }, { month: "long", year: "numeric" }]) {
    console.log(" ", JSON.stringify(o), new Intl.DateTimeFormat(l, { timeZone: "UTC", ...o }).format(d));
  }
  const words = ["zebra", "Äpfel", "apple", "Apple", "résumé", "resume", "ß", "ss", "item10", "item2", "Zoë", "zoe", "co-op", "coop"];
  console.log(" ", words.sort(new Intl.Collator(l).compare).join(" "), "|", [...words].sort(new Intl.Collator(l, { numeric: true, sensitivity: "base" }).compare).join(" "));
  console.log(" ", [0, 1, 2, 3, 11, 21, 1.5, 1000000].map((n) => `${n}:${new Intl.PluralRules(l).select(n)}/${new Intl.PluralRules(l, { type: "ordinal" }).select(n)}`).join(" "));
}
