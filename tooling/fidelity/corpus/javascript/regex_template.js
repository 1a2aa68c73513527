const template = "Hello {{name}}, your order #{{order}} of {{count}} items ships on {{date}}. {{missing}}";
const values = { name: "Ada", order: "A-1029", count: "3", date: "2024-07-01" };
console.log(template.replace(/\{\{(\w+)\}\}/g, (_, k) => values[k] ?? `<${k}>`));
console.log(["camelCase", "HTTPServer", "getXMLValue", "simple"].map((w) => w.replace(/(?<!^)(?=[A-Z])/g, "_").toLowerCase()));
console.log("a , b;c ;d,e".split(/\s*[,;]\s*/));
console.log("x1 y22 z333".replace(/(\d+)/g, (m) => String(Number(m) * 2)));
const { groups } = /(?<year>\d{4})-(?<month>\d{2})/.exec("on 2024-07-01");
console.log(groups.year, groups.month, [..."a1b2c3".matchAll(/[a-z](\d)/g)].map((m) => m[1]).join(""));
