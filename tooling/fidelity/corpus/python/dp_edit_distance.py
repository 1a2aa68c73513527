def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
pairs = [("kitten", "sitting"), ("flaw", "lawn"), ("intention", "execution"), ("", "abc"), ("same", "same")]
print([lev(a, b) for a, b in pairs])
words = ["apple", "apply", "ape", "maple", "people", "applet", "happen", "pale"]
target = "appel"
print(sorted(words, key=lambda w: (lev(w, target), w))[:4])
