from functools import lru_cache
@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print([fib(i) for i in range(0, 75, 7)])
def ways(n, coins, memo={}):
    if n == 0:
        return 1
    if n < 0 or not coins:
        return 0
    key = (n, len(coins))
    if key not in memo:
        memo[key] = ways(n - coins[0], coins, memo) + ways(n, coins[1:], memo)
    return memo[key]
print(ways(500, [1, 2, 5, 10, 20, 50, 100, 200]))
