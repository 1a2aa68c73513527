import heapq
N = 5000
edges = {i: [] for i in range(N)}
seed = 1
for i in range(N):
    for _ in range(4):
        seed = seed * 48271 % 2147483647
        j = seed % N
        w = 1 + seed % 100
        edges[i].append((j, w))
        edges[j].append((i, w))
dist = [float("inf")] * N
dist[0] = 0
pq = [(0, 0)]
while pq:
    d, u = heapq.heappop(pq)
    if d > dist[u]:
        continue
    for v, w in edges[u]:
        if d + w < dist[v]:
            dist[v] = d + w
            heapq.heappush(pq, (d + w, v))
reach = [d for d in dist if d != float("inf")]
print(len(reach), max(reach), sum(reach))
