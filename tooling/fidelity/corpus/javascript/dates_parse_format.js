const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n) => String(n).padStart(2, "0");
for (const s of ["2024-03-15T10:30:00Z", "2023-12-31T23:59:59Z", "2024-02-29T12:00:00Z"]) {
  const d = new Date(s);
  const later = new Date(d.getTime() + (36 * 60 + 15) * 60000);
  console.log(`${p2(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`, "->", later.toISOString(), d.getTime() / 1000);
}
console.log(new Date(1700000000 * 1000).toISOString(), Date.parse("2024-01-01"), new Date("2024-06-15T12:00:00Z").toUTCString());
