import statistics
seed = 3
xs = []
for _ in range(10000):
    seed = seed * 48271 % 2147483647
    xs.append(round(seed / 2147483647 * 100, 3))
xs_sorted = sorted(xs)
def pct(p):
    k = (len(xs_sorted) - 1) * p
    f = int(k)
    c = min(f + 1, len(xs_sorted) - 1)
    return xs_sorted[f] + (xs_sorted[c] - xs_sorted[f]) * (k - f)
mean = sum(xs) / len(xs)
var = sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)
print(f"{mean:.4f} {var ** 0.5:.4f} {statistics.median(xs):.4f}")
print(" ".join(f"{pct(p):.3f}" for p in (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)))
print(f"{statistics.stdev(xs):.4f}", min(xs), max(xs))
