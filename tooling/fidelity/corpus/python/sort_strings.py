seed = 5
words = []
letters = "abcdefghijklmnopqrstuvwxyz"
for i in range(100000):
    w = ""
    for _ in range(3 + i % 6):
        seed = seed * 48271 % 2147483647
        w += letters[seed % 26]
    words.append(w)
words.sort()
print(words[:3], words[-1])
by_len = sorted(words, key=lambda w: (len(w), w))
print(by_len[0], by_len[-1], len(set(words)))
