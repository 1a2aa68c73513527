def build(depth, label):
    if depth == 0:
        return {"label": label, "children": []}
    return {"label": label, "children": [build(depth - 1, label * 3 + k) for k in range(3)]}
tree = build(8, 1)
def count(node):
    return 1 + sum(count(c) for c in node["children"])
def total(node):
    return node["label"] + sum(total(c) for c in node["children"])
def height(node):
    return 1 + max((height(c) for c in node["children"]), default=0)
def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)
print(count(tree), total(tree) % 1000003, height(tree), deep(900))
