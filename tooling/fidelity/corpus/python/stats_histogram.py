seed = 11
vals = []
for _ in range(5000):
    s = 0
    for _ in range(6):
        seed = seed * 48271 % 2147483647
        s += seed / 2147483647
    vals.append(s)
bins = [0] * 12
for v in vals:
    bins[min(11, int(v * 2))] += 1
for i, c in enumerate(bins):
    print(f"{i / 2:4.1f}-{(i + 1) / 2:4.1f} {c:5d} {'#' * (c // 40)}")
