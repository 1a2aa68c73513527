xs = [i * 0.5 for i in range(200)]
ys = [3.2 * x + 7 + ((i * 37) % 11 - 5) * 0.3 for i, x in enumerate(xs)]
n = len(xs)
mx, my = sum(xs) / n, sum(ys) / n
sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
sxx = sum((x - mx) ** 2 for x in xs)
syy = sum((y - my) ** 2 for y in ys)
slope = sxy / sxx
intercept = my - slope * mx
r = sxy / (sxx * syy) ** 0.5
print(f"slope={slope:.5f} intercept={intercept:.5f} r={r:.6f}")
pred = [slope * x + intercept for x in xs]
rmse = (sum((p - y) ** 2 for p, y in zip(pred, ys)) / n) ** 0.5
print(f"rmse={rmse:.5f}")
