function* primes() {
  const found = [];
  for (let n = 2; ; n++) {
    if (found.every((p) => p * p > n || n % p !== 0)) { found.push(n); yield n; }
  }
}
const ps = [];
for (const p of primes()) { ps.push(p); if (ps.length === 2000) break; }
console.log(ps.slice(0, 10), ps[ps.length - 1], ps.reduce((a, b) => a + b, 0));
