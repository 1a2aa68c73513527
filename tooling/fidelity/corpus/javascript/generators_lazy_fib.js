function* fib() { let a = 0n, b = 1n; for (;;) { yield a; [a, b] = [b, a + b]; } }
const small = [];
for (const x of fib()) { if (x >= 10n ** 15n) break; small.push(x); }
console.log(small.length, String(small[small.length - 1]));
const evens = small.filter((x) => x % 2n === 0n);
console.log(evens.length, String(evens.reduce((a, b) => a + b, 0n)));
function* count(n = 1) { for (;;) yield n++; }
const gen = count();
console.log(Array.from({ length: 8 }, () => gen.next().value ** 2));
