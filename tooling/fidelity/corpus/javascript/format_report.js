const data = { q1: [120, 98, 143], q2: [150, 110, 160], q3: [90, 130, 170], q4: [200, 180, 210] };
const teams = ["alpha", "beta", "gamma"];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const lines = ["# Quarterly report", "", `| quarter | ${teams.join(" | ")} | total |`, "|---".repeat(teams.length + 2) + "|"];
for (const [q, vals] of Object.entries(data)) lines.push(`| ${q} | ${vals.join(" | ")} | ${sum(vals)} |`);
const best = Object.keys(data).reduce((b, q) => (sum(data[q]) > sum(data[b]) ? q : b));
lines.push("", `Best quarter: **${best}** (${sum(data[best])})`, `Growth q1→q4: ${((sum(data.q4) / sum(data.q1) - 1) * 100).toFixed(1)}%`);
console.log(lines.join("\n"));
