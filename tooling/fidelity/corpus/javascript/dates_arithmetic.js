const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const iso = (d) => d.toISOString().slice(0, 10);
const start = new Date(Date.UTC(2024, 0, 31));
for (let m = 0; m < 6; m++) {
  const y = 2024, month = m;
  const last = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  const d = new Date(Date.UTC(y, month, Math.min(31, last)));
  console.log(iso(d), days[d.getUTCDay()]);
}
console.log(iso(new Date(start.getTime() + 100 * 86400000)));
console.log((Date.UTC(2025, 2, 1) - Date.UTC(2024, 2, 1)) / 86400000);
function isoWeek(d) {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y0 = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  return [t.getUTCFullYear(), Math.ceil(((t - y0) / 86400000 + 1) / 7)];
}
console.log(isoWeek(new Date(Date.UTC(2024, 11, 30))));
