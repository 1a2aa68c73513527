seed = 2024
xs = []
for _ in range(1000000):
    seed = seed * 48271 % 2147483647
    xs.append(seed / 2147483647)
recs = [(xs[i] * 100 // 1, i) for i in range(200000)]
xs.sort()
recs.sort(key=lambda r: (-r[0], r[1]))
print(f"{xs[0]:.9f} {xs[500000]:.9f} {xs[-1]:.9f}")
print(recs[0], recs[-1])
