let seed = 4;
const items = [];
for (let i = 0; i < 100; i++) { seed = (seed * 48271) % 2147483647; const w = 1 + (seed % 50); seed = (seed * 48271) % 2147483647; items.push([w, 1 + (seed % 100)]); }
const cap = 1000;
const best = new Array(cap + 1).fill(0);
for (const [w, v] of items) for (let c = cap; c >= w; c--) if (best[c - w] + v > best[c]) best[c] = best[c - w] + v;
console.log(best[cap], best[cap / 2], best[100]);
