const levels = ["INFO", "WARN", "ERROR", "DEBUG"];
const p2 = (n) => String(n).padStart(2, "0");
const lines = [];
for (let i = 0; i < 5000; i++) lines.push(`2024-05-${p2(1 + (i % 30))} ${p2(i % 24)}:${p2(i % 60)}:${p2((i * 7) % 60)} [${levels[(i * i) % 4]}] service-${i % 5}: request ${i} took ${(i * 13) % 997}ms`);
const pat = /^(\d{4}-\d{2}-\d{2}) (\d{2}):\d{2}:\d{2} \[(\w+)\] ([\w-]+): request (\d+) took (\d+)ms$/;
const byLevel = {}, byHour = {};
let slow = 0;
for (const line of lines) {
  const m = pat.exec(line);
  if (!m) continue;
  byLevel[m[3]] = (byLevel[m[3]] ?? 0) + 1;
  byHour[m[2]] = (byHour[m[2]] ?? 0) + 1;
  if (Number(m[6]) > 900) slow++;
}
console.log(JSON.stringify(Object.entries(byLevel).sort()));
console.log(JSON.stringify(Object.entries(byHour).sort().slice(0, 6)));
console.log("slow", slow);
