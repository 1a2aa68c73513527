def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1
from itertools import islice
ps = list(islice(primes(), 2000))
print(ps[:10], ps[-1], sum(ps))
