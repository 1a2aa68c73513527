function perms(xs) {
  if (xs.length <= 1) return [xs];
  const out = [];
  xs.forEach((x, i) => { for (const p of perms([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...p]); });
  return out;
}
const ps = perms([..."abcdefg"]);
console.log(ps.length, ps[0].join(""), ps[ps.length - 1].join(""), ps[1000].join(""));
function subsets(xs) {
  if (!xs.length) return [[]];
  const rest = subsets(xs.slice(1));
  return [...rest, ...rest.map((r) => [xs[0], ...r])];
}
const ss = subsets([...Array(12).keys()]);
console.log(ss.length, ss.filter((s) => s.reduce((a, b) => a + b, 0) === 20).length);
