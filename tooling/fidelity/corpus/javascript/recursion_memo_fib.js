const memo = new Map();
const fib = (n) => (n < 2 ? n : memo.get(n) ?? (memo.set(n, fib(n - 1) + fib(n - 2)), memo.get(n)));
const out = [];
for (let i = 0; i < 75; i += 7) out.push(fib(i));
console.log(out.join(" "));
const wm = new Map();
function ways(n, coins, k = 0) {
  if (n === 0) return 1;
  if (n < 0 || k === coins.length) return 0;
  const key = n * 100 + k;
  if (!wm.has(key)) wm.set(key, ways(n - coins[k], coins, k) + ways(n, coins, k + 1));
  return wm.get(key);
}
console.log(ways(500, [1, 2, 5, 10, 20, 50, 100, 200]));
