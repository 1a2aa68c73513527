let log = "";
for (let batch = 0; batch < 20; batch++) {
  const prev = fileExists("/app/events.log") ? readText("/app/events.log") : "";
  let chunk = "";
  for (let i = 0; i < 50; i++) chunk += `batch=${batch} item=${i} value=${((batch * 50 + i) ** 2) % 1009}\n`;
  writeText("/app/events.log", prev + chunk);
}
log = readText("/app/events.log");
const lines = log.split("\n").filter(Boolean);
console.log(lines.length, lines[0], lines[lines.length - 1]);
console.log(lines.reduce((s, l) => s + Number(l.split("=").pop()), 0));
console.log(JSON.stringify(log.slice(-20)));
