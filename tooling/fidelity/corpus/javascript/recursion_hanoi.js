const moves = [];
function hanoi(n, a, b, c) {
  if (n === 0) return;
  hanoi(n - 1, a, c, b);
  moves.push(a + c);
  hanoi(n - 1, b, a, c);
}
hanoi(16, "A", "B", "C");
console.log(moves.length, moves.slice(0, 3), moves[moves.length - 1]);
const counts = {};
for (const m of moves) counts[m] = (counts[m] ?? 0) + 1;
console.log(JSON.stringify(Object.entries(counts).sort()));
