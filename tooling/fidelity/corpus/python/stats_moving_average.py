seed = 21
prices = []
p = 100.0
for _ in range(2000):
    seed = seed * 48271 % 2147483647
    p *= 1 + (seed / 2147483647 - 0.5) * 0.02
    prices.append(p)
def sma(xs, n):
    out, s = [], 0.0
    for i, x in enumerate(xs):
        s += x
        if i >= n:
            s -= xs[i - n]
        if i >= n - 1:
            out.append(s / n)
    return out
s20, s50 = sma(prices, 20), sma(prices, 50)
cross = sum(1 for i in range(1, len(s50)) if (s20[i + 30] - s50[i]) * (s20[i + 29] - s50[i - 1]) < 0)
print(f"{prices[-1]:.4f} {max(prices):.4f} {min(prices):.4f} {s20[-1]:.4f} {s50[-1]:.4f} {cross}")
