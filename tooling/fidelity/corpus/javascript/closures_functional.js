function counter() { let n = 0; return (step = 1) => (n += step); }
const c1 = counter(), c2 = counter();
console.log(c1(), c1(), c2(10), c1(5));
const compose = (...fs) => (x) => fs.reduce((v, f) => f(v), x);
console.log(compose((x) => x + 1, (x) => x * 2, String, (s) => s + "!")(4));
const nums = Array.from({ length: 20 }, (_, i) => i + 1);
console.log(String(nums.reduce((a, b) => (a * BigInt(b)) % 1000007n, 1n)), nums.filter((x) => x % 3 === 0).map((x) => x ** 2));
const adders = [];
for (let i = 0; i < 5; i++) adders.push((x) => x + i);
console.log(adders.map((f) => f(10)));
