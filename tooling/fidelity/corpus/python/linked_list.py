class Node:
    __slots__ = ("val", "next")
    def __init__(self, val, nxt=None):
        self.val, self.next = val, nxt
head = None
for i in range(10000):
    head = Node(i, head)
def reverse(h):
    prev = None
    while h:
        h.next, prev, h = prev, h, h.next
    return prev
head = reverse(head)
vals = []
n = head
while n and len(vals) < 5:
    vals.append(n.val)
    n = n.next
slow = fast = head
while fast and fast.next:
    slow, fast = slow.next, fast.next.next
print(vals, slow.val)
