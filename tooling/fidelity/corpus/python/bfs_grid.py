W, H = 120, 120
grid = [[1 if (x * 7 + y * 13) % 11 == 0 and (x, y) != (0, 0) else 0 for x in range(W)] for y in range(H)]
from collections import deque
dist = {(0, 0): 0}
q = deque([(0, 0)])
while q:
    x, y = q.popleft()
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        nx, ny = x + dx, y + dy
        if 0 <= nx < W and 0 <= ny < H and not grid[ny][nx] and (nx, ny) not in dist:
            dist[(nx, ny)] = dist[(x, y)] + 1
            q.append((nx, ny))
print(len(dist), dist.get((W - 1, H - 1)), max(dist.values()))
