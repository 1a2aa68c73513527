const words = ["naïve", "café", "Zürich", "日本語", "emoji😀ok", "straße", "ÅSTRÖM"];
const enc = new TextEncoder();
for (const w of words) console.log(w, [...w].length, w.length, enc.encode(w).length, w.toUpperCase(), w.toLowerCase(), [...w].reverse().join(""));
const s = "e\u0301";
console.log(s.length, s.normalize("NFC").length, "é".normalize("NFD").length);
console.log(["b", "a", "é", "z", "É", "e"].sort());
console.log([..."HAL"].map((c) => String.fromCodePoint(c.codePointAt(0) + 1)).join(""), [..."€😀"].map((c) => "0x" + c.codePointAt(0).toString(16)));
