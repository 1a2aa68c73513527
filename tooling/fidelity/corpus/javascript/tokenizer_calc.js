function evaluate(src) {
  const tokens = src.match(/\d+\.?\d*|[-+*/()]/g);
  let pos = 0;
  const expr = () => { let v = term(); while (tokens[pos] === "+" || tokens[pos] === "-") { const op = tokens[pos++]; const r = term(); v = op === "+" ? v + r : v - r; } return v; };
  const term = () => { let v = factor(); while (tokens[pos] === "*" || tokens[pos] === "/") { const op = tokens[pos++]; const r = factor(); v = op === "*" ? v * r : v / r; } return v; };
  const factor = () => { const t = tokens[pos++]; if (t === "(") { const v = expr(); pos++; return v; } if (t === "-") return -factor(); return parseFloat(t); };
  return expr();
}
for (const e of ["1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1.5", "-(2 + 3) * (4 - 6)", "2 * (3 + (4 - 1) * 2) / 3"]) console.log(e, "=", evaluate(e));
