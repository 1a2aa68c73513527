const set = new Set();
for (let i = 0; i < 100000; i++) set.add((i * 7919) % 1000003);
const xs = [...set].sort((a, b) => a - b);
function bsearch(arr, x) {
  let lo = 0, hi = arr.length - 1;
  while (lo <= hi) { const mid = (lo + hi) >> 1; if (arr[mid] === x) return mid; if (arr[mid] < x) lo = mid + 1; else hi = mid - 1; }
  return -1;
}
let found = 0;
for (let q = 0; q < 1000003; q += 7) if (bsearch(xs, q) >= 0) found++;
let lo = 0, hi = xs.length;
while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid] < 500000) lo = mid + 1; else hi = mid; }
console.log(xs.length, found, lo, bsearch(xs, 7919));
