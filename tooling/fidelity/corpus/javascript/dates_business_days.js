const holidays = new Set(["2024-01-01", "2024-07-04", "2024-12-25", "2024-11-28"]);
let count = 0;
const perMonth = Array(12).fill(0);
for (let d = new Date(Date.UTC(2024, 0, 1)); d.getUTCFullYear() === 2024; d = new Date(d.getTime() + 86400000)) {
  const wd = d.getUTCDay();
  if (wd !== 0 && wd !== 6 && !holidays.has(d.toISOString().slice(0, 10))) {
    count++;
    perMonth[d.getUTCMonth()]++;
  }
}
console.log(count);
console.log(perMonth);
