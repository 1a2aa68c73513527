import math
f = math.factorial(500)
s = str(f)
print(len(s), s[:20], s.rstrip("0")[-10:], len(s) - len(s.rstrip("0")))
print(2 ** 200, pow(3, 1000, 10**9 + 7))
print(math.gcd(2**64 - 1, 3**40 - 1), math.comb(60, 30))
