def read_numbers(n):
    for i in range(n):
        yield (i * 7919) % 10007
def evens(it):
    return (x for x in it if x % 2 == 0)
def squares(it):
    for x in it:
        yield x * x
def chunks(it, size):
    buf = []
    for x in it:
        buf.append(x)
        if len(buf) == size:
            yield buf
            buf = []
    if buf:
        yield buf
sums = [sum(c) for c in chunks(squares(evens(read_numbers(50000))), 1000)]
print(len(sums), sums[:3], sum(sums))
