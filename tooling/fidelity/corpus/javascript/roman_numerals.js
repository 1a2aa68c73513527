const VALS = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
function toRoman(n) { let out = ""; for (const [v, s] of VALS) while (n >= v) { out += s; n -= v; } return out; }
const M = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
function fromRoman(s) { let t = 0; for (let i = 0; i < s.length; i++) { const v = M[s[i]]; t += i + 1 < s.length && M[s[i + 1]] > v ? -v : v; } return t; }
let ok = true, longest = 0;
for (let n = 1; n < 4000; n++) { const r = toRoman(n); if (fromRoman(r) !== n) ok = false; if (r.length >= toRoman(longest || 1).length) longest = n; }
console.log(ok, toRoman(1994), toRoman(3888), fromRoman("MMXXIV"));
console.log(longest);
