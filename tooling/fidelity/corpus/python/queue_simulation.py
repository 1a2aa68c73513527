from collections import deque
seed = 31
def rnd():
    global seed
    seed = seed * 48271 % 2147483647
    return seed / 2147483647
queue, served, waits, t, busy_until = deque(), 0, [], 0.0, 0.0
for i in range(20000):
    t += rnd() * 2
    queue.append(t)
    while queue and busy_until <= t:
        arrived = queue.popleft()
        start = max(arrived, busy_until)
        waits.append(start - arrived)
        busy_until = start + rnd() * 1.9
        served += 1
print(served, len(queue), f"{sum(waits) / len(waits):.4f}", f"{max(waits):.4f}")
