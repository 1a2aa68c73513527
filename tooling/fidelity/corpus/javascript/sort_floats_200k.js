let seed = 12345;
const xs = new Array(200000);
for (let i = 0; i < xs.length; i++) { seed = (seed * 48271) % 2147483647; xs[i] = (seed / 2147483647) * 1000; }
xs.sort((a, b) => a - b);
console.log(xs[0].toFixed(6), xs[xs.length >> 1].toFixed(6), xs[xs.length - 1].toFixed(6));
let bad = 0;
for (let i = 1; i < xs.length; i++) if (xs[i] < xs[i - 1]) bad++;
console.log(bad);
