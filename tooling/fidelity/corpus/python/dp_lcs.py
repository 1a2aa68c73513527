def lcs(a, b):
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]
seed = 6
def s(n):
    global seed
    out = []
    for _ in range(n):
        seed = seed * 48271 % 2147483647
        out.append("ACGT"[seed % 4])
    return "".join(out)
a, b = s(600), s(600)
print(lcs(a, b), lcs("AGGTAB", "GXTXAYB"), lcs(a[:100], a[50:150]))
