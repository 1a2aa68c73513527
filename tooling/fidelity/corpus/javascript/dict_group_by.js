let seed = 17;
const cities = ["Oslo", "Lima", "Pune", "Kyiv", "Doha"];
const grouped = {};
for (let i = 0; i < 20000; i++) {
  seed = (seed * 48271) % 2147483647;
  const r = { city: cities[seed % 5], year: 2018 + (seed % 6), amount: seed % 1000 };
  ((grouped[r.city] ??= {})[r.year] ??= []).push(r.amount);
}
for (const city of Object.keys(grouped).sort()) {
  const years = grouped[city];
  console.log(city, Object.keys(years).sort().map((y) => `${y}:${years[y].length}/${years[y].reduce((a, b) => a + b, 0)}`).join(" "));
}
