def perms(xs):
    if len(xs) <= 1:
        return [xs]
    out = []
    for i, x in enumerate(xs):
        for p in perms(xs[:i] + xs[i + 1:]):
            out.append([x] + p)
    return out
ps = perms(list("abcdefg"))
print(len(ps), "".join(ps[0]), "".join(ps[-1]), "".join(ps[1000]))
def subsets(xs):
    if not xs:
        return [[]]
    rest = subsets(xs[1:])
    return rest + [[xs[0]] + r for r in rest]
ss = subsets(list(range(12)))
print(len(ss), sum(1 for s in ss if sum(s) == 20))
