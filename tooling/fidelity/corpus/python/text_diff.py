a = ["line %d" % i for i in range(0, 300)]
b = [l for i, l in enumerate(a) if i % 17 != 0] + ["new %d" % i for i in range(5)]
b[40] = "changed"
import difflib
diff = list(difflib.unified_diff(a, b, "a", "b", lineterm="", n=0))
print(len(diff), diff[:6])
sm = difflib.SequenceMatcher(None, "the quick brown fox", "the quack brown box")
print(round(sm.ratio(), 4))
