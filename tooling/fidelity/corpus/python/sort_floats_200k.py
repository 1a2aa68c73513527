seed = 12345
xs = []
for _ in range(200000):
    seed = seed * 48271 % 2147483647
    xs.append(seed / 2147483647 * 1000)
xs.sort()
print(f"{xs[0]:.6f} {xs[len(xs)//2]:.6f} {xs[-1]:.6f}")
print(sum(1 for i in range(1, len(xs)) if xs[i] < xs[i - 1]))
