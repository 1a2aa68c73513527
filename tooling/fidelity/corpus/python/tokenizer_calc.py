import re
def tokenize(s):
    return re.findall(r"\d+\.?\d*|[-+*/()]", s)
def evaluate(tokens):
    pos = 0
    def expr():
        nonlocal pos
        v = term()
        while pos < len(tokens) and tokens[pos] in "+-":
            op = tokens[pos]; pos += 1
            v = v + term() if op == "+" else v - term()
        return v
    def term():
        nonlocal pos
        v = factor()
        while pos < len(tokens) and tokens[pos] in "*/":
            op = tokens[pos]; pos += 1
            v = v * factor() if op == "*" else v / factor()
        return v
    def factor():
        nonlocal pos
        t = tokens[pos]; pos += 1
        if t == "(":
            v = expr(); pos += 1
            return v
        if t == "-":
            return -factor()
        return float(t)
    return expr()
for e in ["1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1.5", "-(2 + 3) * (4 - 6)", "2 * (3 + (4 - 1) * 2) / 3"]:
    print(e, "=", evaluate(tokenize(e)))
