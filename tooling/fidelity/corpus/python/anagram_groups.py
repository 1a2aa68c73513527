words = ["listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog", "god", "odg", "bird"]
seed = 19
for i in range(20000):
    w = ""
    for _ in range(4):
        seed = seed * 48271 % 2147483647
        w += "aeirst"[seed % 6]
    words.append(w)
groups = {}
for w in words:
    groups.setdefault("".join(sorted(w)), set()).add(w)
big = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:5]
for k, v in big:
    print(k, len(v), sorted(v)[:4])
print(len(groups), sorted(groups["eilnst"]))
