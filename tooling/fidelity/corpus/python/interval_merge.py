seed = 10
intervals = []
for _ in range(20000):
    seed = seed * 48271 % 2147483647
    a = seed % 1000000
    seed = seed * 48271 % 2147483647
    intervals.append((a, a + seed % 100))
intervals.sort()
merged = []
for s, e in intervals:
    if merged and s <= merged[-1][1]:
        merged[-1][1] = max(merged[-1][1], e)
    else:
        merged.append([s, e])
print(len(merged), merged[0], merged[-1], sum(e - s for s, e in merged))
