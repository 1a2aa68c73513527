from collections import OrderedDict
class LRU:
    def __init__(self, cap):
        self.cap, self.d, self.hits, self.misses = cap, OrderedDict(), 0, 0
    def get(self, k):
        if k in self.d:
            self.d.move_to_end(k)
            self.hits += 1
            return self.d[k]
        self.misses += 1
        return None
    def put(self, k, v):
        self.d[k] = v
        self.d.move_to_end(k)
        if len(self.d) > self.cap:
            self.d.popitem(last=False)
cache = LRU(100)
seed = 13
for _ in range(50000):
    seed = seed * 48271 % 2147483647
    k = seed % 300 if seed % 4 else seed % 50
    if cache.get(k) is None:
        cache.put(k, k * k)
print(cache.hits, cache.misses, list(cache.d)[:5])
