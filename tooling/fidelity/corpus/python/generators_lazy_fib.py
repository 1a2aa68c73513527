from itertools import takewhile, count
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
small = list(takewhile(lambda x: x < 10**15, fib()))
print(len(small), small[-1])
evens = [x for x in small if x % 2 == 0]
print(len(evens), sum(evens))
gen = (i * i for i in count(1))
print([next(gen) for _ in range(8)])
