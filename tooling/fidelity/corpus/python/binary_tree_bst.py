class BST:
    def __init__(self):
        self.root = None
    def insert(self, k):
        node = [k, None, None]
        if self.root is None:
            self.root = node
            return
        cur = self.root
        while True:
            i = 1 if k < cur[0] else 2
            if cur[i] is None:
                cur[i] = node
                return
            cur = cur[i]
    def inorder(self):
        out, stack, cur = [], [], self.root
        while stack or cur:
            while cur:
                stack.append(cur)
                cur = cur[1]
            cur = stack.pop()
            out.append(cur[0])
            cur = cur[2]
        return out
    def height(self, n="root"):
        n = self.root if n == "root" else n
        return 0 if n is None else 1 + max(self.height(n[1]), self.height(n[2]))
t = BST()
seed = 77
for _ in range(20000):
    seed = seed * 48271 % 2147483647
    t.insert(seed % 100000)
o = t.inorder()
print(len(o), o[:5], o[-1], t.height(), all(o[i] <= o[i + 1] for i in range(len(o) - 1)))
