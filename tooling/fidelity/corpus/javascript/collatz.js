const cache = new Map([[1, 1]]);
function length(n) {
  const path = [];
  while (!cache.has(n)) { path.push(n); n = n % 2 === 0 ? n / 2 : 3 * n + 1; }
  let l = cache.get(n);
  for (let i = path.length - 1; i >= 0; i--) cache.set(path[i], ++l);
  return l;
}
let best = 0, bestN = 0;
for (let n = 1; n < 300000; n++) { const l = length(n); if (l > best) { best = l; bestN = n; } }
console.log(bestN, best);
