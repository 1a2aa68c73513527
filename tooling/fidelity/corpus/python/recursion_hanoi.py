moves = []
def hanoi(n, a, b, c):
    if n == 0:
        return
    hanoi(n - 1, a, c, b)
    moves.append((a, c))
    hanoi(n - 1, b, a, c)
hanoi(16, "A", "B", "C")
print(len(moves), moves[:3], moves[-1])
counts = {}
for m in moves:
    counts[m] = counts.get(m, 0) + 1
print(sorted(counts.items()))
