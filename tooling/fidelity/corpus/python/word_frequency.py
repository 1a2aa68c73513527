words = "the quick brown fox jumps over the lazy dog and the cat sat on the mat while a bird sang".split()
seed = 8
text = []
for _ in range(50000):
    seed = seed * 48271 % 2147483647
    text.append(words[seed % len(words)])
doc = " ".join(text)
freq = {}
for w in doc.split():
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
for w, c in top:
    print(f"{w:6} {c}")
print(len(doc), len(freq))
