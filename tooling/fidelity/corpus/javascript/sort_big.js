let seed = 2024;
const xs = new Array(1000000);
for (let i = 0; i < xs.length; i++) { seed = (seed * 48271) % 2147483647; xs[i] = seed / 2147483647; }
const recs = [];
for (let i = 0; i < 200000; i++) recs.push([Math.floor(xs[i] * 100), i]);
xs.sort((a, b) => a - b);
recs.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
console.log(xs[0].toFixed(9), xs[500000].toFixed(9), xs[xs.length - 1].toFixed(9));
console.log(JSON.stringify(recs[0]), JSON.stringify(recs[recs.length - 1]));
