const text = ("The quick brown fox jumps over the lazy dog. ".repeat(6) + "Supercalifragilisticexpialidocious words happen. ").repeat(2);
function wrap(t, width) {
  const lines = [];
  let cur = "";
  for (const w of t.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) { lines.push(cur); cur = w; }
    else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}
for (const line of wrap(text, 40)) console.log(`|${line.padEnd(40)}|`);
const w20 = wrap(text, 20);
console.log(w20.length, Math.max(...w20.map((l) => l.length)));
