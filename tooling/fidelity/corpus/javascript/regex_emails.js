const parts = [];
for (let i = 0; i < 300; i++) parts.push(`contact user${i}@example${i % 7}.com or admin@site${i % 3}.org; bad@x, also First.Last+${i % 5}@mail.co.uk`);
const text = parts.join(" ");
const emails = text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g);
const uniq = [...new Set(emails)].sort();
console.log(emails.length, uniq.length);
console.log(uniq.slice(0, 5));
const domains = {};
for (const e of emails) { const d = e.split("@")[1]; domains[d] = (domains[d] ?? 0) + 1; }
console.log(Object.entries(domains).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 4));
