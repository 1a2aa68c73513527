function lcs(a, b) {
  let prev = new Array(b.length + 1).fill(0);
  for (const ca of a) {
    const cur = [0];
    for (let j = 0; j < b.length; j++) cur.push(ca === b[j] ? prev[j] + 1 : Math.max(prev[j + 1], cur[j]));
    prev = cur;
  }
  return prev[prev.length - 1];
}
let seed = 6;
const s = (n) => { let out = ""; for (let i = 0; i < n; i++) { seed = (seed * 48271) % 2147483647; out += "ACGT"[seed % 4]; } return out; };
const a = s(600), b = s(600);
console.log(lcs(a, b), lcs("AGGTAB", "GXTXAYB"), lcs(a.slice(0, 100), a.slice(50, 150)));
