text = ("The quick brown fox jumps over the lazy dog. " * 6 + "Supercalifragilisticexpialidocious words happen. ") * 2
def wrap(t, width):
    lines, cur = [], ""
    for w in t.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = w if not cur else cur + " " + w
    if cur:
        lines.append(cur)
    return lines
for line in wrap(text, 40):
    print(f"|{line:<40}|")
print(len(wrap(text, 20)), max(len(l) for l in wrap(text, 20)))
