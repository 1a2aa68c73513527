const n = 100;
const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i * j + 1) % 17));
const b = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i + 2 * j) % 13));
const c = a.map((row, i) => b[0].map((_, j) => { let s = 0; for (let k = 0; k < n; k++) s += a[i][k] * b[k][j]; return s; }));
console.log(c[0][0], c[n - 1][n - 1], c.flat().reduce((x, y) => x + y, 0));
const t = c[0].map((_, j) => c.map((r) => r[j]));
console.log(t[3][5] === c[5][3], Math.max(...c.flat()));
