from functools import reduce
def counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc
c1, c2 = counter(), counter()
print(c1(), c1(), c2(10), c1(5))
compose = lambda *fs: reduce(lambda f, g: lambda x: g(f(x)), fs)
pipeline = compose(lambda x: x + 1, lambda x: x * 2, str, lambda s: s + "!")
print(pipeline(4))
nums = list(range(1, 21))
print(reduce(lambda a, b: a * b, nums) % 1000007, list(map(lambda x: x ** 2, filter(lambda x: x % 3 == 0, nums))))
adders = [lambda x, i=i: x + i for i in range(5)]
print([f(10) for f in adders])
