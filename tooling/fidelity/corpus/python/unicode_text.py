words = ["naïve", "café", "Zürich", "日本語", "emoji😀ok", "straße", "ÅSTRÖM"]
for w in words:
    print(w, len(w), len(w.encode("utf-8")), w.upper(), w.lower(), w[::-1])
import unicodedata
s = "e\u0301"
print(len(s), len(unicodedata.normalize("NFC", s)), unicodedata.name("é"))
print(sorted(["b", "a", "é", "z", "É", "e"]))
print("".join(chr(ord(c) + 1) for c in "HAL"), [hex(ord(c)) for c in "€😀"])
