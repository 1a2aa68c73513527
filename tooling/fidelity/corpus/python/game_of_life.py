W, H = 48, 48
seed = 23
cells = set()
for y in range(H):
    for x in range(W):
        seed = seed * 48271 % 2147483647
        if seed % 3 == 0:
            cells.add((x, y))
for gen in range(60):
    counts = {}
    for (x, y) in cells:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    k = ((x + dx) % W, (y + dy) % H)
                    counts[k] = counts.get(k, 0) + 1
    cells = {k for k, n in counts.items() if n == 3 or (n == 2 and k in cells)}
print(len(cells), min(cells), max(cells))
