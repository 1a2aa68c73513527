let seed = 10;
const intervals = [];
for (let i = 0; i < 20000; i++) { seed = (seed * 48271) % 2147483647; const a = seed % 1000000; seed = (seed * 48271) % 2147483647; intervals.push([a, a + (seed % 100)]); }
intervals.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
const merged = [];
for (const [s, e] of intervals) {
  const last = merged[merged.length - 1];
  if (last && s <= last[1]) last[1] = Math.max(last[1], e);
  else merged.push([s, e]);
}
console.log(merged.length, JSON.stringify(merged[0]), JSON.stringify(merged[merged.length - 1]), merged.reduce((t, [s, e]) => t + e - s, 0));
