best, best_n = 0, 0
cache = {1: 1}
def length(n):
    path = []
    while n not in cache:
        path.append(n)
        n = n // 2 if n % 2 == 0 else 3 * n + 1
    l = cache[n]
    for m in reversed(path):
        l += 1
        cache[m] = l
    return l
for n in range(1, 300000):
    l = length(n)
    if l > best:
        best, best_n = l, n
print(best_n, best)
