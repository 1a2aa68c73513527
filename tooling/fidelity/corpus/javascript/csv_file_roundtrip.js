const rows = [];
for (let i = 1; i <= 500; i++) rows.push({ id: i, name: `user${i}`, score: (i * 37) % 101, active: i % 3 !== 0 });
const text = ["id,name,score,active", ...rows.map((r) => [r.id, r.name, r.score, r.active].join(","))].join("\r\n") + "\r\n";
writeText("/app/users.csv", text);
const back = readText("/app/users.csv").trim().split("\r\n").slice(1).map((l) => {
  const [id, name, score, active] = l.split(",");
  return { id: Number(id), name, score: Number(score), active: active === "true" };
});
const active = back.filter((r) => r.active);
const avg = active.reduce((s, r) => s + r.score, 0) / active.length;
console.log(back.length, active.length, avg.toFixed(3));
const best = back.reduce((b, r) => (r.score > b.score ? r : b));
console.log(best.name);
console.log(new TextEncoder().encode(readText("/app/users.csv")).length);
