import collections
text = "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness" * 40
c = collections.Counter(ch.lower() for ch in text if ch.isalpha())
for ch, n in c.most_common(8):
    print(ch, n, "*" * (n // 100))
print(len(c), sum(c.values()))
