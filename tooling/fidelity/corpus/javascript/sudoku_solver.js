const grid = "530070000 600195000 098000060 800060003 400803001 700020006 060000280 000419005 000080079".split(" ").map((r) => [...r].map(Number));
function ok(r, c, v) {
  for (let i = 0; i < 9; i++) if (grid[r][i] === v || grid[i][c] === v) return false;
  const br = r - (r % 3), bc = c - (c % 3);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (grid[br + i][bc + j] === v) return false;
  return true;
}
function solve() {
  for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) if (grid[r][c] === 0) {
    for (let v = 1; v <= 9; v++) if (ok(r, c, v)) { grid[r][c] = v; if (solve()) return true; grid[r][c] = 0; }
    return false;
  }
  return true;
}
console.log(solve());
for (const row of grid) console.log(row.join(""));
