function lev(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] !== b[j - 1] ? 1 : 0)));
    prev = cur;
  }
  return prev[b.length];
}
const pairs = [["kitten", "sitting"], ["flaw", "lawn"], ["intention", "execution"], ["", "abc"], ["same", "same"]];
console.log(pairs.map(([a, b]) => lev(a, b)));
const words = ["apple", "apply", "ape", "maple", "people", "applet", "happen", "pale"];
console.log(words.map((w) => [lev(w, "appel"), w]).sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1)).slice(0, 4).map((x) => x[1]));
