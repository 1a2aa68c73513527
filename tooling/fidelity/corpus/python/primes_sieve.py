N = 2000000
sieve = bytearray([1]) * (N + 1)
sieve[0] = sieve[1] = 0
i = 2
while i * i <= N:
    if sieve[i]:
        sieve[i * i::i] = bytearray(len(range(i * i, N + 1, i)))
    i += 1
primes = [i for i in range(N + 1) if sieve[i]]
print(len(primes), primes[-1], sum(primes[:1000]))
twins = sum(1 for a, b in zip(primes, primes[1:]) if b - a == 2)
print(twins)
