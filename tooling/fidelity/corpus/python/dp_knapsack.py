seed = 4
items = []
for _ in range(100):
    seed = seed * 48271 % 2147483647
    w = 1 + seed % 50
    seed = seed * 48271 % 2147483647
    items.append((w, 1 + seed % 100))
cap = 1000
best = [0] * (cap + 1)
for w, v in items:
    for c in range(cap, w - 1, -1):
        if best[c - w] + v > best[c]:
            best[c] = best[c - w] + v
print(best[cap], best[cap // 2], best[100])
