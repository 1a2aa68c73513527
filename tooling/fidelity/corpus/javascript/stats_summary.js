let seed = 3;
const xs = [];
for (let i = 0; i < 10000; i++) { seed = (seed * 48271) % 2147483647; xs.push(Math.round((seed / 2147483647) * 100 * 1000) / 1000); }
const sorted = [...xs].sort((a, b) => a - b);
const pct = (p) => { const k = (sorted.length - 1) * p, f = Math.floor(k), c = Math.min(f + 1, sorted.length - 1); return sorted[f] + (sorted[c] - sorted[f]) * (k - f); };
const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
const median = (sorted[4999] + sorted[5000]) / 2;
console.log(mean.toFixed(4), sd.toFixed(4), median.toFixed(4));
console.log([0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map((p) => pct(p).toFixed(3)).join(" "));
console.log(Math.min(...xs), Math.max(...xs));
