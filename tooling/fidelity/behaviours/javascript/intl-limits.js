// Where the sandbox's Intl stops (documented in the runtime README): other locales resolve
// to en-US, dates are UTC only, and option combinations outside the generated set say so.
console.log(new Intl.NumberFormat("ja-JP").resolvedOptions().locale, new Intl.NumberFormat("ja-JP").format(1234.5), Intl.NumberFormat.supportedLocalesOf(["de-AT", "fr", "ja"]));
for (const make of [
  () => new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York" }),
  () => new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }),
  () => new Intl.DateTimeFormat("en-US", { year: "numeric", second: "numeric" }).format(0),
  () => new Intl.NumberFormat("en-US", { notation: "compact" }),
  () => new Intl.NumberFormat("en-US", { style: "unit", unit: "meter" }),
]) {
  try {
    console.log(make());
  } catch (e) {
    console.log(e.name, e.message);
  }
}
console.log(new Date(0).toLocaleString("en-US", { timeZone: "UTC" }), new Intl.DateTimeFormat().resolvedOptions().timeZone);
