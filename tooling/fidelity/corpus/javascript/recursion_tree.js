const build = (depth, label) => ({ label, children: depth === 0 ? [] : [0, 1, 2].map((k) => build(depth - 1, label * 3 + k)) });
const tree = build(8, 1);
const count = (n) => 1 + n.children.reduce((s, c) => s + count(c), 0);
const total = (n) => n.label + n.children.reduce((s, c) => s + total(c), 0);
const height = (n) => 1 + Math.max(0, ...n.children.map(height));
const deep = (n) => (n === 0 ? 0 : 1 + deep(n - 1));
console.log(count(tree), total(tree) % 1000003, height(tree), deep(900));
