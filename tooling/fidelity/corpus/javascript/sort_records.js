let seed = 99;
const rnd = (n) => (seed = (seed * 48271) % 2147483647) % n;
const depts = ["eng", "ops", "sales", "hr", "legal"];
const people = [];
for (let i = 0; i < 50000; i++) people.push({ id: i, dept: depts[rnd(5)], age: 20 + rnd(45), salary: 30000 + rnd(120000) });
people.sort((a, b) => (a.dept < b.dept ? -1 : a.dept > b.dept ? 1 : b.salary - a.salary || a.id - b.id));
console.log(JSON.stringify(people.slice(0, 3).map((p) => [p.dept, p.salary, p.id])));
const byAge = [...people].sort((a, b) => a.age - b.age);
console.log(byAge[0].age, byAge[byAge.length - 1].age, byAge[25000].age);
