function* readNumbers(n) { for (let i = 0; i < n; i++) yield (i * 7919) % 10007; }
function* evens(it) { for (const x of it) if (x % 2 === 0) yield x; }
function* squares(it) { for (const x of it) yield x * x; }
function* chunks(it, size) {
  let buf = [];
  for (const x of it) { buf.push(x); if (buf.length === size) { yield buf; buf = []; } }
  if (buf.length) yield buf;
}
const sums = [...chunks(squares(evens(readNumbers(50000))), 1000)].map((c) => c.reduce((a, b) => a + b, 0));
console.log(sums.length, sums.slice(0, 3), sums.reduce((a, b) => a + b, 0));
