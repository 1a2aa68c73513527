text = "Grüße aus Köln — 10 € für 🍕🍕"
b = text.encode("utf-8")
print(len(text), len(b))
print(b[:12].hex())
print(b.decode("utf-8")[-3:])
counts = {}
for ch in text:
    kind = "ascii" if ord(ch) < 128 else "bmp" if ord(ch) < 0x10000 else "astral"
    counts[kind] = counts.get(kind, 0) + 1
print(sorted(counts.items()))
with open("u.txt", "w", encoding="utf-8") as f:
    f.write(text)
with open("u.txt", encoding="utf-8") as f:
    print(f.read() == text, len(open("u.txt", "rb").read()))
