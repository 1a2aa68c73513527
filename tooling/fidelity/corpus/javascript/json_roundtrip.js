const doc = { name: "report", version: 3, tags: ["a", "b", "ü"], nested: { x: 1.5, y: null, z: [true, false] }, count: 10 ** 12 };
const sortKeys = (v) => (Array.isArray(v) ? v.map(sortKeys) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v);
const s = JSON.stringify(sortKeys(doc));
console.log(s);
const back = JSON.parse(s);
console.log(JSON.stringify(back) === JSON.stringify(sortKeys(doc)), back.nested.z, back.tags[2]);
console.log(JSON.stringify(sortKeys(back), null, 2));
