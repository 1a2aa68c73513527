const xs = Array.from({ length: 200 }, (_, i) => i * 0.5);
const ys = xs.map((x, i) => 3.2 * x + 7 + (((i * 37) % 11) - 5) * 0.3);
const n = xs.length;
const mx = xs.reduce((a, b) => a + b) / n, my = ys.reduce((a, b) => a + b) / n;
let sxy = 0, sxx = 0, syy = 0;
for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; syy += (ys[i] - my) ** 2; }
const slope = sxy / sxx, intercept = my - slope * mx, r = sxy / Math.sqrt(sxx * syy);
console.log(`slope=${slope.toFixed(5)} intercept=${intercept.toFixed(5)} r=${r.toFixed(6)}`);
const rmse = Math.sqrt(xs.reduce((s, x, i) => s + (slope * x + intercept - ys[i]) ** 2, 0) / n);
console.log(`rmse=${rmse.toFixed(5)}`);
