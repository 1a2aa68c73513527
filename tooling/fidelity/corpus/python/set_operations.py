a = set(range(0, 30000, 3))
b = set(range(0, 30000, 5))
c = {x for x in range(30000) if bin(x).count("1") == 7}
print(len(a | b), len(a & b), len(a - b), len(a ^ b), len(a & b & c))
print(sorted(a & b & c)[:8])
print({1, 2, 3} <= {1, 2, 3, 4}, frozenset("hello") == frozenset("olleh"))
