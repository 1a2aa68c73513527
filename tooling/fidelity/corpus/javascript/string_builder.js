const parts = [];
for (let i = 0; i < 100000; i++) parts.push(`${String(i).padStart(5, "0")}:${i % 3 ? "x" : "y"}`);
const s = parts.join(",");
console.log(s.length, s.slice(0, 30), s.slice(-20));
console.log(s.split("y").length - 1, s.indexOf("50000"), s.toUpperCase().slice(0, 12));
console.log(s.replaceAll(",", ";\n").split("\n").length);
