let seed = 21;
const prices = [];
let p = 100;
for (let i = 0; i < 2000; i++) { seed = (seed * 48271) % 2147483647; p *= 1 + (seed / 2147483647 - 0.5) * 0.02; prices.push(p); }
function sma(xs, n) {
  const out = [];
  let s = 0;
  xs.forEach((x, i) => { s += x; if (i >= n) s -= xs[i - n]; if (i >= n - 1) out.push(s / n); });
  return out;
}
const s20 = sma(prices, 20), s50 = sma(prices, 50);
let cross = 0;
for (let i = 1; i < s50.length; i++) if ((s20[i + 30] - s50[i]) * (s20[i + 29] - s50[i - 1]) < 0) cross++;
console.log([prices[prices.length - 1], Math.max(...prices), Math.min(...prices), s20[s20.length - 1], s50[s50.length - 1]].map((v) => v.toFixed(4)).join(" "), cross);
